import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../testing.js';
import { backupFileName, listBackups, takeBackup } from './backups.js';

let test: TestDatabase;
let dir: string;
beforeAll(async () => {
  test = await createTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'memctx-backups-'));
});
afterAll(async () => {
  await test?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('keeps the newest backups and ignores files that are not complete backups', async () => {
  const old = [new Date('2026-01-01T00:00:00Z'), new Date('2026-01-02T00:00:00Z')].map((at) => join(dir, backupFileName(at)));
  for (const path of old) writeFileSync(path, 'old');
  writeFileSync(join(dir, `${backupFileName(new Date('2025-01-01T00:00:00Z'))}.partial`), 'partial');
  writeFileSync(join(dir, 'notes.txt'), 'mine');
  const taken = await takeBackup(test.database, dir, 2);
  const kept = await listBackups(dir);
  expect(kept).toEqual([taken, old[1]]);
  expect(basename(taken)).toMatch(/^memctx-backup-\d{8}T\d{9}Z\.jsonl\.gz$/);
});
