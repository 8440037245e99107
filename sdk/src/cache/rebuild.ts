import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { systemClock } from '../clock.js';
import { isSdkError } from '../errors.js';
import { importPending, type ImportResult } from '../outbox-transfer.js';
import { foreign, inspectCachePath } from './cache-path.js';
import { LocalStore } from './local-store.js';
import { openCache } from './open-cache.js';
import { salvageCache, type Unrecovered } from './salvage.js';

export type { Unrecovered } from './salvage.js';

export interface RebuildResult {
  cachePath: string;
  /** Where the unusable file was moved (it is never deleted), if there was one. */
  movedTo: string | null;
  /** The JSON file of pending writes, conflicts, rejected writes and EPHEMERAL entities, if any could be read. */
  exportPath: string | null;
  exported: { writes: number; conflicts: number; rejected: number; ephemeral: number; errors: string[] };
  /** Queued writes of the old file that could not be read: a count, or `writes: null` when it cannot be known. */
  unrecovered: Unrecovered;
  /** What went into the fresh cache from the export. */
  imported: ImportResult;
}

function stamp(now: number): string {
  return new Date(now).toISOString().replace(/[:.]/g, '-');
}

const NOTHING: Unrecovered = { writes: 0, atMost: null, entities: [], reason: null };

/**
 * Replaces an unusable memory-context cache (CACHE_CORRUPT, CACHE_TOO_NEW)
 * with a fresh one and loses nothing that can be read: pending writes,
 * conflicts, rejected writes and EPHEMERAL entities are exported to
 * `<cache>.pending-<time>.json` next to it, the old file is moved to
 * `<cache>.replaced-<time>`, and the export is imported into the new cache
 * (same idempotency keys, so nothing reaches the server twice). What could not
 * be read is counted in `unrecovered`, or reported as unknowable.
 *
 * A file that is not a memory-context cache is never moved or written: that
 * is CACHE_FOREIGN (choose another path); a directory or unreadable path is
 * CACHE_UNUSABLE. Close every client of the cache first.
 */
export function rebuildCache(options: { cachePath: string }): RebuildResult {
  const cachePath = resolve(options.cachePath);
  const state = inspectCachePath(cachePath);
  const clock = systemClock;
  const time = stamp(clock.now());
  const salvage = state.kind === 'sqlite' ? salvageCache(cachePath, state.header, state.size, clock.now()) : undefined;
  if (salvage && !salvage.ours) {
    throw foreign(cachePath, `is an SQLite database of another application (application_id ${salvage.applicationId}${salvage.tables === null ? '' : `, ${salvage.tables} tables`})`, {
      reason: 'other-application',
      applicationId: salvage.applicationId,
      tables: salvage.tables,
    });
  }
  const exported = salvage?.exported;
  let exportPath: string | null = null;
  if (exported && (exported.writes.length || exported.conflicts.length || exported.rejected.length || exported.ephemeral.length)) {
    exportPath = `${cachePath}.pending-${time}.json`;
    writeFileSync(exportPath, `${JSON.stringify(exported, null, 2)}\n`, { mode: 0o600 });
  }
  let movedTo: string | null = null;
  if (state.kind === 'sqlite') {
    movedTo = `${cachePath}.replaced-${time}`;
    renameSync(cachePath, movedTo);
    for (const suffix of ['-wal', '-shm']) if (existsSync(cachePath + suffix)) renameSync(cachePath + suffix, movedTo + suffix);
  }
  const store = LocalStore.open(cachePath, {}, clock);
  let imported: ImportResult = { writes: 0, conflicts: 0, rejected: 0, ephemeral: 0 };
  try {
    if (exported) {
      if (exported.submoduleId) store.metadata.set('submodule', exported.submoduleId);
      imported = importPending(store, clock, exported);
    }
  } finally {
    store.close();
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
      errors: exported?.errors ?? (salvage?.unrecovered.reason ? [salvage.unrecovered.reason] : []),
    },
    unrecovered: salvage?.unrecovered ?? NOTHING,
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
