import { closeSync, mkdirSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { SdkError } from '../errors.js';

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
/** The SQLite header fields memctx reads without SQLite (https://www.sqlite.org/fileformat.html#the_database_header). */
const HEADER_BYTES = 100;

/** What the first page of an SQLite file says about it. */
export interface SqliteHeader {
  pageSize: number;
  /** Pages the file should hold; null when the header's count is not trustworthy (then SQLite uses the file size). */
  pageCount: number | null;
  applicationId: number;
}

export type CachePathState = { kind: 'missing' } | { kind: 'empty' } | { kind: 'sqlite'; size: number; header: SqliteHeader };

const CHOOSE_ANOTHER = 'choose another cache path (--cache, MEMCTX_CACHE_PATH, or the cachePath option)';

export function unusable(path: string, what: string, cause?: unknown): SdkError {
  const code = (cause as { code?: unknown } | undefined)?.code;
  return new SdkError('CACHE_UNUSABLE', `The cache path ${path} ${what}. Fix that, or ${CHOOSE_ANOTHER}.`, { path, ...(typeof code === 'string' ? { cause: code } : {}) }, { cause });
}

export function foreign(path: string, what: string, details: Record<string, unknown> = {}): SdkError {
  return new SdkError(
    'CACHE_FOREIGN',
    `${path} ${what}, not a memory-context cache. memctx leaves it alone (it never renames, rebuilds or writes it): ${CHOOSE_ANOTHER}.`,
    { path, ...details },
  );
}

function parseHeader(bytes: Buffer): SqliteHeader | undefined {
  if (bytes.length < SQLITE_MAGIC.length || !bytes.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC)) return undefined;
  if (bytes.length < HEADER_BYTES) return { pageSize: 0, pageCount: null, applicationId: 0 };
  const raw = bytes.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  // The in-header size counts only when the change counter matches version-valid-for.
  const valid = bytes.readUInt32BE(24) === bytes.readUInt32BE(92) && bytes.readUInt32BE(28) > 0;
  return { pageSize, pageCount: valid ? bytes.readUInt32BE(28) : null, applicationId: bytes.readInt32BE(68) };
}

function readStart(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const bytes = Buffer.alloc(HEADER_BYTES);
    const read = readSync(fd, bytes, 0, HEADER_BYTES, 0);
    return bytes.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/**
 * What is at a cache path, read without SQLite and without writing anything.
 * Throws CACHE_UNUSABLE for a directory, a special file or a path this user
 * cannot read, and CACHE_FOREIGN for a file that is not SQLite.
 */
export function inspectCachePath(path: string): CachePathState {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'ENOENT') return { kind: 'missing' };
    if (code === 'ENOTDIR') throw unusable(path, 'goes through a file where a directory should be', err);
    throw unusable(path, `cannot be examined (${(err as Error).message})`, err);
  }
  if (stats.isDirectory()) throw unusable(path, 'is a directory; the cache is one file, such as memory-cache.db inside it');
  if (!stats.isFile()) throw unusable(path, 'is not a regular file (a socket, pipe or device)');
  if (stats.size === 0) return { kind: 'empty' };
  let start: Buffer;
  try {
    start = readStart(path);
  } catch (err) {
    throw unusable(path, `cannot be read (${(err as Error).message})`, err);
  }
  const header = parseHeader(start);
  if (!header) throw foreign(path, 'is not an SQLite database', { reason: 'not-sqlite' });
  return { kind: 'sqlite', size: stats.size, header };
}

/** Creates the cache's directory, or says why it cannot. */
export function ensureCacheDirectory(path: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (err) {
    throw unusable(path, `cannot be created: its directory ${dirname(path)} cannot be made (${(err as Error).message})`, err);
  }
}
