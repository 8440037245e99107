import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { DataDirLockedError, LOCK_FILE } from './data-dir-errors.js';
import { lockDataDir } from './data-dir-lock.js';

const freshDir = () => mkdtempSync(join(tmpdir(), 'memctx-lock-unit-'));
const holderOf = (dir: string) => JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as { pid: number; host: string; startedAt: string };
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid;

describe('lockDataDir', () => {
  it('writes our pid, host and start time, and removes the file on release', () => {
    const dir = freshDir();
    const lock = lockDataDir(dir);
    expect(holderOf(dir)).toMatchObject({ pid: process.pid, host: hostname() });
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    lockDataDir(dir).release(); // free again
  });

  it('refuses a second holder and names the first one', () => {
    const dir = freshDir();
    const lock = lockDataDir(dir);
    try {
      expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
      expect(() => lockDataDir(dir)).toThrow(`already in use by process ${process.pid}`);
      expect(holderOf(dir).pid).toBe(process.pid); // the refused attempt left the lock alone
    } finally {
      lock.release();
    }
  });

  it('refuses a lock held by another live process', () => {
    const dir = freshDir();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.ppid, host: hostname(), startedAt: 'earlier' }));
    expect(() => lockDataDir(dir)).toThrow(`already in use by process ${process.ppid}`);
  });

  it('takes over a lock whose process is gone, and an empty lock file a crash left half written', () => {
    const dir = freshDir();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid(), host: hostname(), startedAt: 'earlier' }));
    const lock = lockDataDir(dir);
    expect(holderOf(dir).pid).toBe(process.pid);
    lock.release();
    writeFileSync(join(dir, LOCK_FILE), '');
    const old = new Date(Date.now() - 60_000);
    utimesSync(join(dir, LOCK_FILE), old, old);
    lockDataDir(dir).release();
  });

  it('waits for a rival that has created the lock file but not yet written it, and then names it', () => {
    const dir = freshDir();
    writeFileSync(join(dir, LOCK_FILE), ''); // just created: not judged stale
    expect(() => lockDataDir(dir)).toThrow(/is being opened by another process/);
  });

  it('does not judge a lock from another host: its pid means nothing here', () => {
    const dir = freshDir();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid(), host: 'other-host.example', startedAt: 'earlier' }));
    expect(() => lockDataDir(dir)).toThrow(/on host other-host\.example.*delete .*memctx\.lock/);
  });

  it('release never removes a lock that is no longer ours', () => {
    const dir = freshDir();
    const lock = lockDataDir(dir);
    const other = JSON.stringify({ pid: process.ppid, host: hostname(), startedAt: 'later' });
    writeFileSync(join(dir, LOCK_FILE), other);
    lock.release();
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(other);
  });
});
