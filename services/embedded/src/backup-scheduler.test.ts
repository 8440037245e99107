import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@memory-context/db/testing';
import { backupFileName, listBackups } from '@memory-context/db/snapshot';
import { createLogger } from '@memory-context/telemetry';
import { BACKUP_STATUS_FILE, startBackupScheduler } from './backup-scheduler.js';

let test: TestDatabase;
const dirs: string[] = [];
const logger = createLogger({ level: 'silent', service: 'backup-test' });

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'memctx-scheduler-'));
  dirs.push(dir);
  return dir;
}

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400 && !(await check()); i++) await new Promise((resolve) => setTimeout(resolve, 25));
}

beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(async () => {
  await test?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

it('takes the first backup after the start delay, then one per interval, keeping the newest', async () => {
  const dir = tempDir();
  const scheduler = await startBackupScheduler({ database: test.database, dir, keep: 2, intervalSeconds: 1, logger, firstDelayMs: 0 });
  try {
    await until(async () => (await listBackups(dir)).length >= 2);
    const first = await listBackups(dir);
    expect(first).toHaveLength(2);
    // A new backup is written, then the oldest pruned: wait for both (the listing may fall between them).
    await until(async () => {
      const now = await listBackups(dir);
      return now[0] !== first[0] && now.length <= 2;
    });
    const later = await listBackups(dir);
    expect(later).toHaveLength(2); // the oldest went
    expect(later[1]).toBe(first[0]);
    const status = JSON.parse(readFileSync(join(dir, BACKUP_STATUS_FILE), 'utf8')) as { file?: string; error?: string };
    expect(status.error).toBeUndefined();
    expect(later).toContain(status.file);
  } finally {
    await scheduler.stop();
  }
});

it('waits one interval after the newest backup, across restarts', async () => {
  const dir = tempDir();
  const recent = join(dir, backupFileName(new Date()));
  writeFileSync(recent, 'taken a moment ago');
  jest.useFakeTimers({ doNotFake: ['Date', 'hrtime', 'nextTick', 'performance', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame', 'requestIdleCallback', 'cancelIdleCallback', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval'] }); // fakes setTimeout and clearTimeout only
  try {
    const scheduler = await startBackupScheduler({ database: test.database, dir, keep: 5, intervalSeconds: 3600, logger, firstDelayMs: 0 });
    await jest.advanceTimersByTimeAsync(30 * 60_000);
    expect(await listBackups(dir)).toEqual([recent]);
    await scheduler.stop();

    utimesSync(recent, new Date(Date.now() - 2 * 3600_000), new Date(Date.now() - 2 * 3600_000));
    const overdue = await startBackupScheduler({ database: test.database, dir, keep: 5, intervalSeconds: 3600, logger, firstDelayMs: 1000 });
    await jest.advanceTimersByTimeAsync(1000);
    jest.useRealTimers();
    await until(async () => (await listBackups(dir)).length === 2);
    expect(await listBackups(dir)).toHaveLength(2);
    await overdue.stop();
  } finally {
    jest.useRealTimers();
  }
});

it('answers a request made during a backup with a backup that starts after it', async () => {
  const dir = tempDir();
  const scheduler = await startBackupScheduler({ database: test.database, dir, keep: 10, intervalSeconds: 0, logger });
  try {
    const first = scheduler.backupNow();
    const second = scheduler.backupNow();
    const [a, b] = await Promise.all([first, second]);
    expect(b).not.toBe(a);
    expect(await listBackups(dir)).toEqual([b, a]);
  } finally {
    await scheduler.stop();
  }
});
