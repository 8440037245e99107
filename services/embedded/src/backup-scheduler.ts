import { stat, writeFile, rename, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from '@memory-context/db';
import { listBackups, takeBackup } from '@memory-context/db/snapshot';
import type { Logger } from '@memory-context/telemetry';

/** Written after each backup the stack takes, so `npm run backup` can wait for the one it asked for. */
export const BACKUP_STATUS_FILE = 'last-backup.json';

export interface BackupStatus {
  /** ms since the epoch */
  startedAt: number;
  finishedAt: number;
  file?: string;
  error?: string;
}

export interface BackupSchedulerOptions {
  database: Database;
  dir: string;
  keep: number;
  /** 0: no timer, backups only on request. */
  intervalSeconds: number;
  logger: Logger;
  /** Delay of the first backup when none is due sooner (default one minute). */
  firstDelayMs?: number;
}

export interface BackupScheduler {
  /** Takes a backup now (one at a time: a request during a backup gets the next one). */
  backupNow(): Promise<string>;
  stop(): Promise<void>;
}

/** setTimeout's longest delay; longer waits re-arm. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The embedded stack's daily backup: an export file in the backup directory,
 * the newest `keep` kept. The schedule survives restarts: the next backup is
 * due one interval after the newest file, and at least `firstDelayMs` after start.
 */
export async function startBackupScheduler(options: BackupSchedulerOptions): Promise<BackupScheduler> {
  const { database, dir, keep, intervalSeconds, logger } = options;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<string> | undefined;
  let queued: Promise<string> | undefined;
  let stopped = false;

  const run = async (): Promise<string> => {
    const startedAt = Date.now();
    try {
      const file = await takeBackup(database, dir, keep);
      await writeStatus(dir, { startedAt, finishedAt: Date.now(), file });
      logger.info({ file }, 'backup taken');
      return file;
    } catch (error) {
      await writeStatus(dir, { startedAt, finishedAt: Date.now(), error: error instanceof Error ? error.message : String(error) }).catch(() => {});
      logger.error({ err: error }, 'backup failed');
      throw error;
    }
  };

  const backupNow = (): Promise<string> => {
    if (!running) {
      running = run().finally(() => (running = undefined));
      return running;
    }
    queued ??= running
      .catch(() => undefined)
      .then(() => {
        queued = undefined;
        return backupNow();
      });
    return queued;
  };

  const arm = (delayMs: number) => {
    if (stopped || intervalSeconds === 0) return;
    const due = Date.now() + delayMs;
    const wait = () => {
      const left = due - Date.now();
      timer = setTimeout(left > MAX_TIMER_MS ? wait : tick, Math.min(Math.max(left, 0), MAX_TIMER_MS));
      timer.unref();
    };
    wait();
  };
  const tick = () => {
    void backupNow()
      .catch(() => {}) // logged in run(); the next interval tries again
      .finally(() => arm(intervalSeconds * 1000));
  };

  const [newest] = await listBackups(dir);
  const newestAt = newest ? (await stat(newest)).mtimeMs : -Infinity;
  arm(Math.max(options.firstDelayMs ?? 60_000, newestAt + intervalSeconds * 1000 - Date.now()));

  return {
    backupNow,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => {});
      await queued?.catch(() => {});
    },
  };
}

async function writeStatus(dir: string, status: BackupStatus): Promise<void> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, BACKUP_STATUS_FILE);
  await writeFile(`${path}.tmp`, JSON.stringify(status));
  await rename(`${path}.tmp`, path);
}
