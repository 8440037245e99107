import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * `memctx login` keeps the gateway URL and token next to the cache, in a
 * file only the user can read: one login per submodule checkout, like the cache.
 */
export interface Credentials {
  url: string;
  token: string;
}

export function credentialsPath(cachePath: string): string {
  return join(dirname(cachePath), 'credentials.json');
}

export function readCredentials(cachePath: string): Partial<Credentials> {
  const file = credentialsPath(cachePath);
  if (!existsSync(file)) return {};
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<Credentials>;
    return { ...(typeof parsed.url === 'string' ? { url: parsed.url } : {}), ...(typeof parsed.token === 'string' ? { token: parsed.token } : {}) };
  } catch {
    return {};
  }
}

export function writeCredentials(cachePath: string, credentials: Credentials): string {
  const file = credentialsPath(cachePath);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}
