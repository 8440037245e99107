import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readCacheOwner } from './cache/metadata.js';

/** The seed's cache folder (§5.2.3), under the working directory; often reached through a `.coditect` symlink shared by every submodule. */
export const CACHE_DIR = join('.coditect', 'MEMORY-CONTEXT', 'cache');
export const CACHE_FILE = 'memory-cache.db';
/** The cache of a client without a token (it writes as nobody), and the file earlier SDKs used for every submodule. */
export const DEFAULT_CACHE_RELATIVE_PATH = join(CACHE_DIR, CACHE_FILE);

/** A folder name for a submodule id: the id itself when it is a plain slug, else a hash of it (a token's `sub` is not trusted to be one). */
function folderFor(submoduleId: string): string {
  if (/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(submoduleId) && !submoduleId.includes('..')) return submoduleId;
  return `sub-${createHash('sha256').update(submoduleId).digest('hex').slice(0, 16)}`;
}

/**
 * The default cache file, absolute. Submodules whose `.coditect` is one
 * shared folder (the seed's layout) must not share a cache, so each gets
 * `cache/<submodule>/memory-cache.db`. A `cache/memory-cache.db` that already
 * belongs to this submodule (an earlier SDK's default) is kept, so the
 * writes queued in it are not left behind; one that cannot be read is kept
 * too, so that opening it reports the problem. No submodule: `cache/memory-cache.db`.
 */
export function defaultCachePath(cwd: string, submoduleId: string | undefined): string {
  const shared = resolve(cwd, DEFAULT_CACHE_RELATIVE_PATH);
  if (!submoduleId) return shared;
  if (existsSync(shared)) {
    const owner = readCacheOwner(shared);
    if (owner === submoduleId || owner === undefined) return shared;
  }
  return resolve(cwd, CACHE_DIR, folderFor(submoduleId), CACHE_FILE);
}
