import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from '@jest/globals';
import { BACKUP_STATUS_FILE } from './backup-scheduler.js';
import { requestBackup } from './backup-request.js';

const dir = mkdtempSync(join(tmpdir(), 'memctx-backup-request-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('signals only a process that registered itself as taking backup requests', async () => {
  // A pid that holds the directory but never registered (an export, say) is not signalled: SIGUSR2 would end it.
  await expect(requestBackup(dir, process.pid, 1_000)).rejects.toThrow(/does not take backup requests/);
});

/**
 * The stack's side in a process of its own, as in production (a test file's `process` is jest's sandboxed copy,
 * which no signal reaches): it answers each request with a failed backup, counted in the status file.
 */
function startListener(): Promise<ChildProcess> {
  const source = `
    import { writeFileSync } from 'node:fs';
    import { join } from 'node:path';
    import { BACKUP_STATUS_FILE } from ${JSON.stringify(join(import.meta.dirname, 'backup-scheduler.ts'))};
    import { listenForBackupRequests } from ${JSON.stringify(join(import.meta.dirname, 'backup-request.ts'))};
    const dir = ${JSON.stringify(dir)};
    let calls = 0;
    const stop = listenForBackupRequests(async () => {
      calls++;
      writeFileSync(join(dir, BACKUP_STATUS_FILE), JSON.stringify({ startedAt: Date.now(), finishedAt: Date.now(), error: 'disk full', calls }));
      return '';
    }, dir);
    process.stdin.on('end', () => { stop(); process.exit(0); }).resume();
    console.log('listening');`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the listener exited (${code}) before listening`)));
    child.stdout!.once('data', () => resolve(child));
  });
}

it('waits for the backup the stack starts after the signal, and reports its failure', async () => {
  const child = await startListener();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    expect(JSON.parse(readFileSync(join(dir, 'backup-listener.json'), 'utf8'))).toEqual({ pid: child.pid });
    await expect(requestBackup(dir, child.pid!, 10_000)).rejects.toThrow(/could not take the backup: disk full/);
    expect(JSON.parse(readFileSync(join(dir, BACKUP_STATUS_FILE), 'utf8')).calls).toBe(1);
  } finally {
    child.stdin!.end();
    await exited;
  }
  await expect(requestBackup(dir, child.pid!, 1_000)).rejects.toThrow(/does not take backup requests/);
});
