import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DEFAULT_CACHE_RELATIVE_PATH } from '../cache-location.js';

/**
 * `memctx login` keeps the gateway URL and token in the checkout it ran in,
 * `<checkout>/.memctx/credentials.json`, readable by the user only. Not in the
 * cache folder: in the seed's layout that sits under a `.coditect` symlink
 * shared by every submodule, so one submodule's login would sign in all others.
 */
export interface Credentials {
  url: string;
  token: string;
}

export const CREDENTIALS_DIR = '.memctx';

export interface StoredCredentials extends Partial<Credentials> {
  /** The file they came from, if one was read. */
  file?: string;
  /** True when read from the location of earlier versions (beside the cache file). */
  legacy?: boolean;
}

export function credentialsPath(cwd: string): string {
  return resolve(cwd, CREDENTIALS_DIR, 'credentials.json');
}

/** Where earlier versions of memctx kept them: beside the cache file the CLI computed itself (still read, never written). */
export function legacyCredentialsPath(cwd: string, cachePath: string | undefined): string {
  return join(dirname(resolve(cwd, cachePath ?? DEFAULT_CACHE_RELATIVE_PATH)), 'credentials.json');
}

function readFile(file: string): Partial<Credentials> | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<Credentials>;
    return { ...(typeof parsed.url === 'string' ? { url: parsed.url } : {}), ...(typeof parsed.token === 'string' ? { token: parsed.token } : {}) };
  } catch {
    return undefined;
  }
}

/** The checkout's credentials; else, for compatibility, those an earlier memctx stored beside the cache (`legacy`). */
export function readCredentials(cwd: string, legacyCachePath?: string): StoredCredentials {
  const file = credentialsPath(cwd);
  const own = readFile(file);
  if (own) return { ...own, file };
  const legacy = legacyCredentialsPath(cwd, legacyCachePath);
  const old = readFile(legacy);
  return old ? { ...old, file: legacy, legacy: true } : {};
}

export function writeCredentials(cwd: string, credentials: Credentials): string {
  const file = credentialsPath(cwd);
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // The folder ignores itself, so the token is never committed with the checkout.
  if (!existsSync(join(dir, '.gitignore'))) writeFileSync(join(dir, '.gitignore'), '# memctx login: credentials of this checkout, never committed\n*\n');
  writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}
