import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SECRET_FILE = 'jwt-secret';

/**
 * The HS256 secret of the embedded default: MEMCTX_JWT_SECRET when set,
 * otherwise a random secret kept in the data directory, created on first use
 * (exclusive create, so two processes starting together agree on one).
 */
export function resolveHmacSecret(options: { jwtSecret: string | undefined; dataDir: string }): Uint8Array {
  if (options.jwtSecret !== undefined) return new TextEncoder().encode(options.jwtSecret);
  const path = join(options.dataDir, SECRET_FILE);
  mkdirSync(options.dataDir, { recursive: true });
  try {
    writeFileSync(path, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const secret = readFileSync(path, 'utf8').trim();
  if (secret.length < 32) throw new Error(`${path} holds a secret shorter than 32 characters; delete it to have a new one generated.`);
  return new TextEncoder().encode(secret);
}
