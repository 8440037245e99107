import { readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BACKUP_STATUS_FILE, type BackupStatus } from './backup-scheduler.js';
import { DataDirError } from './data-dir-errors.js';

/** Names the process that takes backups on SIGUSR2, so `npm run backup` never signals anything else. */
const LISTENER_FILE = 'backup-listener.json';
const SIGNAL = 'SIGUSR2';

/**
 * The running stack's side: SIGUSR2 takes a backup (its result lands in the
 * status file). Returns a function that stops listening.
 */
export function listenForBackupRequests(backup: () => Promise<string>, dir: string): () => void {
  if (process.platform === 'win32') return () => {}; // no signals: `npm run backup` needs the stack stopped there
  const onSignal = () => void backup().catch(() => {}); // the scheduler logs and records failures
  process.on(SIGNAL, onSignal);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LISTENER_FILE);
  const mine = JSON.stringify({ pid: process.pid });
  writeFileSync(path, mine);
  return () => {
    process.off(SIGNAL, onSignal);
    try {
      if (readFileSync(path, 'utf8') === mine) rmSync(path);
    } catch {
      // gone already
    }
  };
}

/**
 * `npm run backup` beside a running stack: signal it and wait for the backup
 * it starts after the signal (its status file says where it went, or why not).
 */
export async function requestBackup(dir: string, pid: number, timeoutMs: number): Promise<string> {
  if (readListener(dir) !== pid) {
    throw new DataDirError(
      `Process ${pid} holds the data directory but does not take backup requests in ${dir} ` +
        '(not a running memory-context stack, or one started with another MEMCTX_BACKUP_DIR). Stop it and run npm run backup again.',
    );
  }
  const asked = Date.now();
  process.kill(pid, SIGNAL);
  while (Date.now() - asked < timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const status = readStatus(dir);
    if (!status || status.startedAt < asked) continue;
    if (status.error !== undefined || !status.file) throw new DataDirError(`The running stack (process ${pid}) could not take the backup: ${status.error ?? 'unknown error'}`);
    return status.file;
  }
  throw new DataDirError(`The running stack (process ${pid}) did not finish a backup within ${Math.round(timeoutMs / 1000)} s; see its log.`);
}

function readListener(dir: string): number | undefined {
  try {
    return (JSON.parse(readFileSync(join(dir, LISTENER_FILE), 'utf8')) as { pid?: number }).pid;
  } catch {
    return undefined;
  }
}

function readStatus(dir: string): BackupStatus | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, BACKUP_STATUS_FILE), 'utf8')) as BackupStatus;
  } catch {
    return undefined;
  }
}
