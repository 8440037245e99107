import { randomUUID } from 'node:crypto';
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { DataDirLockedError, LOCK_FILE, type LockHolder } from './data-dir-errors.js';

export interface DataDirLock {
  readonly path: string;
  release(): void;
}

/**
 * Takes the data directory for this process: an O_EXCL lock file holding our
 * pid, host and start time. A lock whose pid no longer runs on this host is
 * stale (SIGKILL, a crash) and is taken over; any other lock refuses us before
 * PGlite is opened, because two PGlite instances on one directory corrupt it.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  const mine: LockHolder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), nonce: randomUUID() };
  const content = JSON.stringify(mine);
  for (let attempt = 0; attempt < 10; attempt++) {
    if (tryCreate(path, content)) return holdLock(path, content);
    const current = readLock(path);
    if (current === undefined) continue; // released meanwhile: try again
    if (current.holder.pid === 0 && Date.now() - current.modifiedAt < UNWRITTEN_GRACE_MS) {
      sleep(50); // a rival created the file and is writing its pid now
      continue;
    }
    if (!isStale(current.holder)) throw new DataDirLockedError(dir, current.holder);
    removeStale(path, current.raw);
  }
  const current = readLock(path);
  throw new DataDirLockedError(dir, current?.holder ?? { pid: -1, host: 'unknown', startedAt: 'unknown' });
}

function tryCreate(path: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** An empty lock file younger than this is being written; older, it was left by a crash. */
const UNWRITTEN_GRACE_MS = 2_000;

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function readLock(path: string): { raw: string; holder: LockHolder; modifiedAt: number } | undefined {
  let raw: string;
  let modifiedAt: number;
  try {
    raw = readFileSync(path, 'utf8');
    modifiedAt = statSync(path).mtimeMs;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const parsed = JSON.parse(raw) as Partial<LockHolder>;
    if (typeof parsed.pid === 'number' && Number.isInteger(parsed.pid) && parsed.pid > 0) {
      return { raw, modifiedAt, holder: { pid: parsed.pid, host: String(parsed.host ?? hostname()), startedAt: String(parsed.startedAt ?? 'unknown') } };
    }
  } catch {
    // not JSON: below
  }
  // Unreadable content: a process died between creating and writing the file.
  return { raw, modifiedAt, holder: { pid: 0, host: hostname(), startedAt: 'unknown' } };
}

/** Only a lock from this host can be judged: a pid on another machine means nothing here. */
function isStale(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return false;
  if (holder.pid === 0) return true;
  if (holder.pid === process.pid) return false; // this process opened the directory already
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH'; // EPERM: alive, someone else's
  }
}

/**
 * Moves the stale file aside and checks it is the one judged stale: if a rival
 * took the lock over in between, its fresh lock is put back, never deleted.
 */
function removeStale(path: string, staleRaw: string): void {
  const aside = `${path}.stale-${process.pid}-${randomUUID()}`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = readFileSync(aside, 'utf8');
  if (moved !== staleRaw) {
    try {
      linkSync(aside, path); // fails if yet another process holds the path now: then it owns it
    } catch {
      // the path is taken: the next attempt reads that holder
    }
  }
  unlinkSync(aside);
}

function holdLock(path: string, content: string): DataDirLock {
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    try {
      // Never remove a lock we no longer own (it was taken over as stale by mistake).
      if (readFileSync(path, 'utf8') === content) unlinkSync(path);
    } catch {
      // already gone
    }
  };
  // process.exit() after a fatal error: the next start should not have to judge a stale lock.
  process.on('exit', release);
  return { path, release };
}
