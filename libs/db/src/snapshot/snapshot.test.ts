import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { rawRows } from '../mechanisms/raw-rows.js';
import { auditEvents, checkpoints, checkpointSessions, patterns, patternSources, sessionArchive, sessionChanges, sessions, submodules } from '../schema/index.js';
import { createTestDatabase, type TestDatabase } from '../testing.js';
import { exportSnapshot, restoreSnapshot, SNAPSHOT_TABLES, type SnapshotHeader } from './index.js';

let source: TestDatabase;
let dir: string;
let file: string;
let header: SnapshotHeader;
const targets: TestDatabase[] = [];

async function target(): Promise<TestDatabase> {
  const database = await createTestDatabase();
  targets.push(database);
  return database;
}

async function count(test: TestDatabase, table: string): Promise<number> {
  const [row] = await rawRows<{ n: number }>(test.database.db, sql.raw(`select count(*)::int as n from ${table}`));
  return row?.n ?? -1;
}

async function expectEmpty(test: TestDatabase): Promise<void> {
  for (const table of SNAPSHOT_TABLES) expect(await count(test, table.name), table.name).toBe(0);
}

beforeAll(async () => {
  source = await createTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'memctx-snapshot-'));
  const { db } = source.database;
  const sessionId = randomUUID();
  const patternId = randomUUID();
  const checkpointId = randomUUID();
  await db.insert(submodules).values({ id: 'core', name: 'core' });
  await db.insert(sessions).values([
    { id: sessionId, submoduleId: 'core', privacyLevel: 'PRIVATE', title: 'Private — ünïcode "quoted"', tags: ['a', 'b'], content: [{ role: 'user', text: 'line\nbreak' }], startedAt: new Date('2026-01-02T03:04:05.678Z') },
    { id: randomUUID(), submoduleId: 'core', privacyLevel: 'TEAM', title: 'Team', deletedAt: new Date() },
  ]);
  await db.insert(sessionChanges).values({ entityId: sessionId, submoduleId: 'core', privacyLevel: 'PRIVATE', op: 'UPSERT', version: 1 });
  await db.insert(sessionArchive).values({ entityId: randomUUID(), submoduleId: 'core', payload: { title: 'gone' }, gdpr: true, purgeAfter: new Date('2027-01-01T00:00:00Z') });
  await db.insert(patterns).values({ id: patternId, submoduleId: 'core', privacyLevel: 'PUBLIC', kind: 'SOLUTION', name: 'p', body: { steps: [1, 2.5, 'x'] }, fingerprint: 'f', mergeScope: 'shared' });
  await db.insert(patternSources).values({ patternId, sessionId, submoduleId: 'core' });
  await db.insert(checkpoints).values({ id: checkpointId, submoduleId: 'core', privacyLevel: 'TEAM', title: 'c', content: 'x' });
  await db.insert(checkpointSessions).values({ checkpointId, sessionId });
  for (let i = 0; i < 1_200; i++) await db.insert(auditEvents).values({ actor: `a${i}`, action: 'test', resourceType: 'session', outcome: 'SUCCESS', details: { i } });
  file = join(dir, 'snapshot.jsonl.gz');
  header = await exportSnapshot(source.database, file);
});

afterAll(async () => {
  await source?.close();
  rmSync(dir, { recursive: true, force: true });
});

afterEach(async () => {
  for (const test of targets.splice(0)) await test.close();
});

describe('snapshot export and restore', () => {
  it('writes a versioned header with counts and checksums of every table', () => {
    expect(header).toMatchObject({ format: 'memory-context-snapshot', version: 1, source: source.database.kind });
    expect(header.migration).toMatch(/^\d{4}_/);
    const rows = Object.fromEntries(header.tables.map((t) => [t.name, t.rows]));
    expect(rows).toMatchObject({ 'registry.submodules': 1, 'sessions.sessions': 2, 'sessions.changes': 1, 'sessions.archive': 1, 'patterns.sources': 1, 'checkpoints.sessions': 1, 'audit.events': 1_200 });
    for (const table of header.tables) expect(table.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('restores every row into an empty database, which exports the same checksums', async () => {
    const restored = await target();
    await restoreSnapshot(restored.database, file);
    const again = await exportSnapshot(restored.database, join(dir, 'again.jsonl.gz'));
    expect(again.tables).toEqual(header.tables);
    const [session] = await restored.database.db.select().from(sessions).where(sql`${sessions.privacyLevel} = 'PRIVATE'`);
    expect(session).toMatchObject({ title: 'Private — ünïcode "quoted"', tags: ['a', 'b'], content: [{ role: 'user', text: 'line\nbreak' }], startedAt: new Date('2026-01-02T03:04:05.678Z') });
  });

  it('keeps audit seq and continues the sequences after the restored rows', async () => {
    const restored = await target();
    await restoreSnapshot(restored.database, file);
    const [next] = await restored.database.db.insert(auditEvents).values({ actor: 'later', action: 'test', resourceType: 'session', outcome: 'SUCCESS' }).returning();
    const [max] = await rawRows<{ seq: number }>(source.database.db, sql.raw('select max(seq)::int as seq from audit.events'));
    expect(next!.seq).toBe(max!.seq + 1);
  });

  it('refuses a database that already holds data, and changes nothing', async () => {
    const filled = await target();
    await filled.database.db.insert(submodules).values({ id: 'other', name: 'other' });
    await expect(restoreSnapshot(filled.database, file)).rejects.toMatchObject({ code: 'RESTORE_TARGET_NOT_EMPTY' });
    expect(await count(filled, 'registry.submodules')).toBe(1);
    expect(await count(filled, 'audit.events')).toBe(0);
  });

  it('refuses a snapshot of an unknown format version', async () => {
    const lines = gunzipSync(readFileSync(file)).toString('utf8').split('\n');
    lines[0] = JSON.stringify({ ...JSON.parse(lines[0]!), version: 99 });
    const future = join(dir, 'future.jsonl.gz');
    writeFileSync(future, gzipSync(lines.join('\n')));
    const restored = await target();
    await expect(restoreSnapshot(restored.database, future)).rejects.toMatchObject({ code: 'SNAPSHOT_UNKNOWN_VERSION' });
    await expectEmpty(restored);
  });

  it('refuses a truncated file and leaves nothing half restored', async () => {
    const bytes = readFileSync(file);
    const cut = join(dir, 'cut.jsonl.gz');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.8)));
    const restored = await target();
    await expect(restoreSnapshot(restored.database, cut)).rejects.toMatchObject({ code: 'SNAPSHOT_CORRUPT' });
    await expectEmpty(restored);
  });

  it('refuses rows that do not match the checksum', async () => {
    const text = gunzipSync(readFileSync(file)).toString('utf8').replace('"actor":"a7"', '"actor":"mallory"');
    const changed = join(dir, 'changed.jsonl.gz');
    writeFileSync(changed, gzipSync(text));
    const restored = await target();
    await expect(restoreSnapshot(restored.database, changed)).rejects.toMatchObject({ code: 'SNAPSHOT_CHECKSUM_MISMATCH' });
    await expectEmpty(restored);
  });

  it('refuses a file that is not gzip', async () => {
    const plain = join(dir, 'plain.txt');
    writeFileSync(plain, 'hello');
    const restored = await target();
    await expect(restoreSnapshot(restored.database, plain)).rejects.toMatchObject({ code: 'SNAPSHOT_CORRUPT' });
  });
});
