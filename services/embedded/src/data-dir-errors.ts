import { hostname } from 'node:os';
import { join } from 'node:path';

/** The lock file in MEMCTX_DATA_DIR that names the one process allowed to open it. */
export const LOCK_FILE = 'memctx.lock';

export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
  /** Tells two holders with a reused pid apart. */
  nonce?: string;
}

/** The embedded data directory cannot be opened; the message says why and what to do (no stack trace). */
export class DataDirError extends Error {}

/** Another live process (or one on another host) holds the data directory. */
export class DataDirLockedError extends DataDirError {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      holder.pid <= 0
        ? `The data directory ${dataDir} is being opened by another process (its lock file ${join(dataDir, LOCK_FILE)} is not written yet). ` +
            'Try again in a moment; if no memory-context process runs, delete that file.'
        : holder.host === hostname()
        ? `The data directory ${dataDir} is already in use by process ${holder.pid} (started ${holder.startedAt}). ` +
            'Two processes on one PGlite directory destroy it: stop that process, or set MEMCTX_DATA_DIR to another directory.'
        : `The data directory ${dataDir} is already in use by process ${holder.pid} on host ${holder.host} (started ${holder.startedAt}). ` +
            `If that process is gone, delete ${join(dataDir, LOCK_FILE)} and start again.`,
    );
    this.name = 'DataDirLockedError';
  }
}

/** PGlite could not open the data directory: its files are damaged. */
export class DataDirDamagedError extends DataDirError {
  constructor(
    readonly dataDir: string,
    cause: unknown,
  ) {
    super(
      `PGlite could not open the database in ${dataDir} (${describe(cause)}): its files are damaged, ` +
        'for example by two processes that used the directory at once or a disk that filled up. ' +
        'Nothing was deleted. To recover, stop memory-context, move this directory aside and restore the latest copy of the data directory ' +
        '(docs/operations.md, "The embedded data directory"); or set MEMCTX_DATA_DIR to a new directory to start empty.',
      { cause },
    );
    this.name = 'DataDirDamagedError';
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
