import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { isSdkError } from '../errors.js';
import { collectPending, importPending, type ExportedPending, type ImportResult } from '../outbox-transfer.js';
import { CACHE_APPLICATION_ID } from './migrations.js';
import { openCache } from './open-cache.js';

export interface RebuildResult {
  cachePath: string;
  /** Where the unusable file was moved (it is never deleted), if there was one. */
  movedTo: string | null;
  /** The JSON file of pending writes, conflicts, rejected writes and EPHEMERAL entities, if any could be read. */
  exportPath: string | null;
  exported: { writes: number; conflicts: number; rejected: number; ephemeral: number; errors: string[] };
  /** What went into the fresh cache from the export. */
  imported: ImportResult;
}

/** Reads what can be read from a cache file that cannot be opened normally; nothing from another application's file. */
function salvage(path: string): ExportedPending | undefined {
  let db: BetterSqlite3.Database | undefined;
  try {
    db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
    if (db.pragma('application_id', { simple: true }) !== CACHE_APPLICATION_ID) return undefined;
    return collectPending(db, path);
  } catch {
    return undefined;
  } finally {
    db?.close();
  }
}

function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

/**
 * Replaces an unusable cache (CACHE_CORRUPT, CACHE_FOREIGN, CACHE_TOO_NEW)
 * with a fresh one and loses nothing that can be read: pending writes,
 * conflicts, rejected writes and EPHEMERAL entities are exported to
 * `<cache>.pending-<time>.json` next to it, the old file is moved to
 * `<cache>.replaced-<time>`, and the export is imported into the new cache
 * (same idempotency keys, so nothing reaches the server twice). Close every
 * client of the cache first.
 */
export function rebuildCache(options: { cachePath: string }): RebuildResult {
  const cachePath = resolve(options.cachePath);
  const time = stamp();
  const exported = existsSync(cachePath) ? salvage(cachePath) : undefined;
  let exportPath: string | null = null;
  if (exported && (exported.writes.length || exported.conflicts.length || exported.rejected.length || exported.ephemeral.length)) {
    exportPath = `${cachePath}.pending-${time}.json`;
    writeFileSync(exportPath, `${JSON.stringify(exported, null, 2)}\n`, { mode: 0o600 });
  }
  let movedTo: string | null = null;
  if (existsSync(cachePath)) {
    movedTo = `${cachePath}.replaced-${time}`;
    renameSync(cachePath, movedTo);
    for (const suffix of ['-wal', '-shm']) if (existsSync(cachePath + suffix)) renameSync(cachePath + suffix, movedTo + suffix);
  }
  const db = openCache(cachePath);
  let imported: ImportResult = { writes: 0, conflicts: 0, rejected: 0, ephemeral: 0 };
  try {
    if (exported) {
      if (exported.submoduleId) db.prepare(`INSERT OR REPLACE INTO metadata (key, value) VALUES ('submodule', ?)`).run(exported.submoduleId);
      imported = importPending(db, exported);
    }
  } finally {
    db.close();
  }
  return {
    cachePath,
    movedTo,
    exportPath,
    exported: {
      writes: exported?.writes.length ?? 0,
      conflicts: exported?.conflicts.length ?? 0,
      rejected: exported?.rejected.length ?? 0,
      ephemeral: exported?.ephemeral.length ?? 0,
      errors: exported?.errors ?? [],
    },
    imported,
  };
}

/** Opens the cache only to check it: resolves with null when it is usable, else the SdkError explaining why not. */
export function checkCache(cachePath: string): Error | null {
  try {
    openCache(resolve(cachePath), { integrityCheck: 'quick' }).close();
    return null;
  } catch (err) {
    if (isSdkError(err)) return err;
    throw err;
  }
}
