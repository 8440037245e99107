import { resolve } from 'node:path';
import type { Command } from 'commander';
import { createClient, type MemoryClient } from '../client.js';
import { DEFAULT_CACHE_RELATIVE_PATH, type ClientOptions } from '../config.js';
import { readCredentials } from './credentials.js';
import { Output } from './output.js';

export interface GlobalFlags {
  url?: string;
  token?: string;
  cache?: string;
  json?: boolean;
  reason?: string;
}

/** What every command needs: where the cache is, how to reach the gateway, how to print. */
export class CliContext {
  readonly out: Output;
  readonly cachePath: string;

  constructor(private readonly flags: GlobalFlags) {
    this.out = new Output(flags.json ?? false);
    this.cachePath = resolve(flags.cache ?? process.env.MEMCTX_CACHE_PATH ?? DEFAULT_CACHE_RELATIVE_PATH);
  }

  static of(command: Command): CliContext {
    return new CliContext(command.optsWithGlobals<GlobalFlags>());
  }

  /** Flags, then MEMCTX_URL / MEMCTX_TOKEN, then what `memctx login` stored. */
  connection(): { url: string | undefined; token: string | undefined } {
    const stored = readCredentials(this.cachePath);
    return {
      url: this.flags.url ?? (process.env.MEMCTX_URL || undefined) ?? stored.url,
      token: this.flags.token ?? (process.env.MEMCTX_TOKEN || undefined) ?? stored.token,
    };
  }

  /** A client for one command: no background timers, pushes only when the command says so. */
  client(options: ClientOptions = {}): MemoryClient {
    const reason = this.flags.reason !== undefined ? { accessReason: this.flags.reason } : {};
    return createClient({ ...this.connection(), ...reason, cachePath: this.cachePath, pullIntervalMs: 0, pushOnWrite: false, ...options });
  }
}
