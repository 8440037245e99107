import { resolve } from 'node:path';
import type { Config } from '@memory-context/config';
import { createServiceDeps, type ServiceDeps } from '@memory-context/server-kit';
import { DataDirDamagedError } from './data-dir-errors.js';
import { lockDataDir } from './data-dir-lock.js';

export interface OpenDataDir {
  readonly deps: ServiceDeps;
  /** Checkpoints PGlite, closes it and gives the directory up. */
  close(): Promise<void>;
}

/**
 * The embedded database as one owner holds it: the directory lock first, then
 * PGlite; on a clean stop a CHECKPOINT, so the next start replays no WAL.
 */
export async function openDataDir(config: Config, options: { pgliteThread?: boolean } = {}): Promise<OpenDataDir> {
  const lock = lockDataDir(config.dataDir);
  let deps: ServiceDeps;
  try {
    deps = await createServiceDeps(config, { service: 'embedded', pgliteThread: options.pgliteThread === true });
  } catch (error) {
    lock.release();
    throw isPgliteAbort(error) ? new DataDirDamagedError(resolve(config.dataDir), error) : error;
  }
  return {
    deps,
    async close() {
      try {
        await deps.database.db.execute('checkpoint');
      } catch (error) {
        deps.logger.warn({ err: error }, 'checkpoint before close failed; PGlite replays its WAL at the next start');
      }
      try {
        await deps.close();
      } finally {
        lock.release();
      }
    },
  };
}

/** PGlite's WASM runtime reports a damaged cluster as an Emscripten abort, not a Postgres error. */
function isPgliteAbort(error: unknown): boolean {
  const text = error instanceof Error ? `${error.name} ${error.message}` : String(error);
  return /RuntimeError|Aborted\(|PGlite failed to initialize/.test(text);
}
