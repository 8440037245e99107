import BetterSqlite3, { type Database } from 'better-sqlite3';
import { SdkError } from '../errors.js';
import { ensureCacheDirectory, foreign, inspectCachePath, unusable } from './cache-path.js';
import { CACHE_APPLICATION_ID, LATEST_SCHEMA_VERSION, migrate, schemaVersion } from './migrations.js';

export interface OpenCacheOptions {
  /** `normal` (default): a commit survives a crash of the process; `full`: also a crash of the machine (fsync per commit). */
  durability?: 'full' | 'normal';
  /** `quick` runs PRAGMA quick_check on open. */
  integrityCheck?: 'quick' | 'off';
  readonly?: boolean;
}

const CACHE_PAGE_SIZE = 8192;

export function rebuildHint(path: string): string {
  return `Run \`memctx cache rebuild --cache ${path}\` (or rebuildCache({ cachePath })) to export its pending writes next to it, set the file aside and start a fresh cache.`;
}

const UNUSABLE_SQLITE_CODES = /^SQLITE_(CANTOPEN|READONLY|PERM)/;

/** Turns SQLite's errors about a damaged file into CACHE_CORRUPT, about an unusable path into CACHE_UNUSABLE; anything else passes through. */
export function cacheError(error: unknown, path: string): unknown {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && UNUSABLE_SQLITE_CODES.test(code)) {
    return unusable(path, `cannot be opened (${(error as Error).message})`, error);
  }
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || (typeof code === 'string' && code.startsWith('SQLITE_CORRUPT'))) {
    return new SdkError('CACHE_CORRUPT', `The cache file ${path} is damaged (${(error as Error).message}). ${rebuildHint(path)}`, { path, sqliteCode: code }, { cause: error });
  }
  return error;
}

/**
 * Opens (or creates) the cache file and brings its schema up to date.
 * Refuses, before writing anything to it, a path that cannot hold a file
 * (CACHE_UNUSABLE), a file that is not SQLite or an SQLite database of
 * another application (CACHE_FOREIGN), a newer schema (CACHE_TOO_NEW), or a
 * file that fails its integrity check (CACHE_CORRUPT).
 */
export function openCache(path: string, options: OpenCacheOptions = {}): Database {
  const inMemory = path === ':memory:';
  if (!inMemory) {
    inspectCachePath(path);
    if (!options.readonly) ensureCacheDirectory(path);
  }

  let db: Database;
  try {
    db = new BetterSqlite3(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  } catch (err) {
    throw cacheError(err, path);
  }
  try {
    checkOwnership(db, path, options.readonly ?? false);
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.durability === 'full' ? 'FULL' : 'NORMAL'}`);
      // The client checkpoints the WAL in the background (client.ts), so no write waits for one.
      db.pragma('wal_autocheckpoint = 0');
      // GDPR: a deleted entity's bytes are overwritten with zeros, not left in free space.
      db.pragma('secure_delete = ON');
    }
    db.pragma('busy_timeout = 5000');
    if ((options.integrityCheck ?? 'quick') === 'quick') {
      const result = db.pragma('quick_check', { simple: false }) as Array<{ quick_check: string }>;
      const problems = result.map((r) => r.quick_check).filter((r) => r !== 'ok');
      if (problems.length > 0) {
        throw new SdkError('CACHE_CORRUPT', `The cache file ${path} failed its integrity check (${problems.slice(0, 3).join('; ')}). ${rebuildHint(path)}`, {
          path,
          reason: 'integrity-check',
          problems: problems.slice(0, 20),
        });
      }
    }
    if (!options.readonly) {
      migrate(db);
      // FTS5 drops a deleted row's terms from its segments at once, instead of at the next merge.
      for (const { name } of db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE % USING fts5%'`).all() as Array<{ name: string }>) {
        db.prepare(`INSERT INTO "${name}" ("${name}", rank) VALUES ('secure-delete', 1)`).run();
      }
    }
    return db;
  } catch (err) {
    db.close();
    throw cacheError(err, path);
  }
}

function checkOwnership(db: Database, path: string, readonly: boolean): void {
  const applicationId = db.pragma('application_id', { simple: true }) as number;
  const tables = (db.prepare(`SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'`).get() as { n: number }).n;
  if (applicationId === 0 && tables === 0) {
    if (!readonly) {
      // Before the first write: entities of a few KiB would fill a default 4 KiB page each.
      db.pragma(`page_size = ${CACHE_PAGE_SIZE}`);
      db.pragma(`application_id = ${CACHE_APPLICATION_ID}`);
    }
    return;
  }
  if (applicationId !== CACHE_APPLICATION_ID) {
    throw foreign(path, `is an SQLite database of another application (application_id ${applicationId}, ${tables} tables)`, { reason: 'other-application', applicationId, tables });
  }
  const version = schemaVersion(db);
  if (version > LATEST_SCHEMA_VERSION) {
    throw new SdkError('CACHE_TOO_NEW', `The cache file ${path} has schema version ${version}; this SDK knows up to ${LATEST_SCHEMA_VERSION}. Upgrade @memory-context/sdk, or use another cachePath.`, {
      path,
      version,
      known: LATEST_SCHEMA_VERSION,
    });
  }
}
