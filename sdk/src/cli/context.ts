import type { Command } from 'commander';
import { createClient, type MemoryClient } from '../client.js';
import { CLIENT_OPTIONS, resolveClientOptions, type ClientOptions, type ResolvedOptions } from '../config.js';
import { readCredentials, type StoredCredentials } from './credentials.js';
import { Output } from './output.js';

export interface GlobalFlags {
  url?: string;
  token?: string;
  cache?: string;
  json?: boolean;
  reason?: string;
}

/**
 * What every command needs: the client options, resolved by the SDK's one
 * resolver (resolveClientOptions) exactly as createClient would, so memctx and
 * a program in the same checkout use the same cache file and settings; and
 * how to print.
 */
export class CliContext {
  readonly out: Output;
  private stored: StoredCredentials | undefined;
  /** The login file the options took the URL or token from, if any (for `memctx status`). */
  loginUsed: string | undefined;

  /** `cwd`: the checkout memctx runs in; the default cache, cache.config.json and the login are found from there. */
  constructor(
    private readonly flags: GlobalFlags,
    readonly cwd: string = process.cwd(),
    private readonly env: NodeJS.ProcessEnv = process.env,
    out?: Output,
  ) {
    this.out = out ?? new Output(flags.json ?? false);
  }

  private fromEnv(name: string): string | undefined {
    return this.env[name] || undefined;
  }

  static of(command: Command): CliContext {
    return new CliContext(command.optsWithGlobals<GlobalFlags>());
  }

  /** What `memctx login` stored for this checkout (or, with a warning, where an earlier memctx kept it). */
  credentials(): StoredCredentials {
    if (this.stored) return this.stored;
    this.stored = readCredentials(this.cwd, this.flags.cache ?? this.fromEnv(CLIENT_OPTIONS.cachePath.env));
    if (this.stored.legacy) {
      this.out.warn(
        'LEGACY_CREDENTIALS',
        `using the login stored beside the cache, in ${this.stored.file}, where earlier versions of memctx kept it. ` +
          'Every checkout sharing that folder (a .coditect symlink) would use it: run memctx login in this checkout, then delete that file.',
      );
    }
    return this.stored;
  }

  /**
   * Options precedence: flags, then the environment (MEMCTX_URL, MEMCTX_TOKEN, …),
   * then what `memctx login` stored (URL and token), then cache.config.json, then
   * defaults. The stored login is only read when a flag or variable leaves the URL or token unset.
   */
  options(overrides: ClientOptions = {}): ResolvedOptions {
    const url = overrides.url ?? this.flags.url ?? (this.fromEnv(CLIENT_OPTIONS.url.env) ? undefined : this.storedValue('url'));
    const token = overrides.token ?? this.flags.token ?? (this.fromEnv(CLIENT_OPTIONS.token.env) ? undefined : this.storedValue('token'));
    const flags: ClientOptions = { url, token, cachePath: this.flags.cache, accessReason: this.flags.reason };
    return resolveClientOptions({ ...flags, ...overrides }, this.env, this.cwd);
  }

  private storedValue(key: 'url' | 'token'): string | undefined {
    const credentials = this.credentials();
    if (credentials[key] !== undefined) this.loginUsed = credentials.file;
    return credentials[key];
  }

  /** The cache file the commands use (absolute; by default the token's submodule's own). */
  get cachePath(): string {
    return this.options().cachePath;
  }

  /** A client for one command: no background timers, pushes only when the command says so. */
  client(overrides: ClientOptions = {}): MemoryClient {
    return createClient(this.options({ pullIntervalMs: 0, pushOnWrite: false, ...overrides }));
  }
}
