import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { sessionChanges } from '../schema/sessions.js';
import { exportSnapshot, restoreSnapshot } from '../snapshot/index.js';
import { createTestDatabase, eventually, type TestDatabase } from '../testing.js';
import { appendChange, readFeed } from './change-feed.js';

let source: TestDatabase;
let target: TestDatabase;
let dir: string;
const admin = { submoduleId: 'reader', admin: true };

beforeAll(async () => {
  source = await createTestDatabase();
  target = await createTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'memctx-feed-clock-'));
});
afterAll(async () => {
  await source?.close();
  await target?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function append(test: TestDatabase, id: string): Promise<void> {
  await test.database.db.transaction((tx) => appendChange(tx, sessionChanges, { entityId: id, submoduleId: 's', privacyLevel: 'TEAM', op: 'UPSERT', version: 1 }));
}

async function pull(test: TestDatabase, cursor: string | undefined): Promise<{ ids: string[]; cursor: string }> {
  const page = await readFeed(test.database.db, sessionChanges, admin, cursor, 1000);
  return { ids: page.entries.map((e) => e.entityId), cursor: page.cursor };
}

it('keeps restored feed positions valid and puts later writes after them, though the new database has used fewer transaction ids', async () => {
  // The source has used many more transaction ids than the fresh target.
  const restored: string[] = [];
  for (let i = 0; i < 60; i += 1) {
    const id = randomUUID();
    await append(source, id);
    restored.push(id);
  }
  const before = await eventually(() => pull(source, undefined), (p) => p.ids.length >= restored.length);
  expect(before.ids).toEqual(restored);
  const file = join(dir, 'snapshot.jsonl.gz');
  await exportSnapshot(source.database, file);
  await restoreSnapshot(target.database, file);

  // Every restored change is readable at once, and a client's cursor from the source stays valid.
  expect((await eventually(() => pull(target, undefined), (p) => p.ids.length >= restored.length)).ids).toEqual(restored);
  const later = randomUUID();
  await append(target, later);
  expect((await eventually(() => pull(target, before.cursor), (p) => p.ids.length > 0)).ids).toEqual([later]);
});
