import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from '@jest/globals';
import { BACKUP_STATUS_FILE } from './backup-scheduler.js';
import { listenForBackupRequests, requestBackup } from './backup-request.js';

const dir = mkdtempSync(join(tmpdir(), 'memctx-backup-request-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('signals only a process that registered itself as taking backup requests', async () => {
  // A pid that holds the directory but never registered (an export, say) is not signalled: SIGUSR2 would end it.
  await expect(requestBackup(dir, process.pid, 1_000)).rejects.toThrow(/does not take backup requests/);
});

it('waits for the backup the stack starts after the signal, and reports its failure', async () => {
  let calls = 0;
  const stop = listenForBackupRequests(async () => {
    calls++;
    writeFileSync(join(dir, BACKUP_STATUS_FILE), JSON.stringify({ startedAt: Date.now(), finishedAt: Date.now(), error: 'disk full' }));
    return '';
  }, dir);
  try {
    expect(JSON.parse(readFileSync(join(dir, 'backup-listener.json'), 'utf8'))).toEqual({ pid: process.pid });
    await expect(requestBackup(dir, process.pid, 10_000)).rejects.toThrow(/could not take the backup: disk full/);
    expect(calls).toBe(1);
  } finally {
    stop();
  }
  await expect(requestBackup(dir, process.pid, 1_000)).rejects.toThrow(/does not take backup requests/);
});
