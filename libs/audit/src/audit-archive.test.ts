import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { auditEvents, rawRows } from '@memory-context/db';
import { createTestDatabase, type TestDatabase } from '@memory-context/db/testing';
import { archiveAuditEvents, readAuditArchive } from './audit-archive.js';

const YEAR = 365 * 86_400;
const RETENTION = 7 * YEAR;

let test: TestDatabase;
let dir: string;
beforeAll(async () => {
  test = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'memctx-audit-archive-'));
});
afterAll(async () => {
  await test?.close();
  await rm(dir, { recursive: true, force: true });
});

async function insertEvent(yearsAgo: number, action: string): Promise<number> {
  const [row] = await test.database.db
    .insert(auditEvents)
    .values({ actor: 'cloud-backend', action, resourceType: 'session', resourceId: action, outcome: 'SUCCESS', details: { n: yearsAgo }, at: new Date(Date.now() - yearsAgo * YEAR * 1000) })
    .returning({ seq: auditEvents.seq });
  return row!.seq;
}

/** Every event as row_to_json with UTC timestamps, the archive's own text. */
async function eventsAsJson(where = sql`true`): Promise<Array<Record<string, unknown>>> {
  return test.database.db.transaction(async (tx) => {
    await tx.execute(sql.raw(`set local timezone = 'UTC'`));
    const rows = await rawRows<{ line: string }>(tx, sql`select row_to_json(e)::text as line from audit.events e where ${where} order by seq`);
    return rows.map((r) => JSON.parse(r.line) as Record<string, unknown>);
  });
}

async function refused(statement: ReturnType<typeof sql>): Promise<string> {
  const error = await test.database.db.execute(statement).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  expect(error).toBeInstanceOf(Error);
  return String((error as Error & { cause?: Error }).cause?.message ?? (error as Error).message);
}

describe('archiveAuditEvents', () => {
  it('writes events past their retention to checked gzip files, then removes them; newer ones stay', async () => {
    const old = [await insertEvent(9, 'old.1'), await insertEvent(8, 'old.2'), await insertEvent(7.5, 'old.3')];
    const recent = [await insertEvent(6, 'recent.1'), await insertEvent(0, 'recent.2')];
    const expected = await eventsAsJson(sql`seq in (${sql.join(old.map((s) => sql`${s}`), sql`, `)})`);

    const result = await archiveAuditEvents(test.database.db, { retentionSeconds: RETENTION, directory: dir, batchSize: 2, actor: 'test-archiver' });
    expect(result.archived).toBe(3);
    expect(result.files).toHaveLength(2);
    expect((await readdir(dir)).sort()).toEqual(result.files.map((f) => f.slice(dir.length + 1)).sort());

    const archived: Array<Record<string, unknown>> = [];
    for (const file of result.files) {
      const { header, events } = await readAuditArchive(file);
      expect(header.rows).toBe(events.length);
      archived.push(...events);
    }
    expect(archived).toEqual(expected);

    const left = await eventsAsJson();
    expect(left.filter((e) => e.action !== 'audit.archive').map((e) => e.seq)).toEqual(recent);
    // The archiving is audited: one event per file, naming it and what it removed.
    const records = left.filter((e) => e.action === 'audit.archive');
    expect(records.map((e) => [e.actor, e.resource_id, (e.details as { removed: number }).removed])).toEqual([
      ['test-archiver', result.files[0], 2],
      ['test-archiver', result.files[1], 1],
    ]);

    expect(await archiveAuditEvents(test.database.db, { retentionSeconds: RETENTION, directory: dir })).toEqual({ files: [], archived: 0 });
  });

  it('leaves the events in the table when the archive file cannot be written', async () => {
    const seq = await insertEvent(10, 'unwritable');
    const blocked = join(dir, 'not-a-directory');
    await writeFile(blocked, 'x');
    await expect(archiveAuditEvents(test.database.db, { retentionSeconds: RETENTION, directory: blocked })).rejects.toThrow();
    expect((await eventsAsJson(sql`seq = ${seq}`)).length).toBe(1);
    await archiveAuditEvents(test.database.db, { retentionSeconds: RETENTION, directory: dir });
    expect((await eventsAsJson(sql`seq = ${seq}`)).length).toBe(0);
  });

  it('still refuses every other DELETE, UPDATE and TRUNCATE, old events included', async () => {
    const seq = await insertEvent(20, 'very.old');
    expect(await refused(sql`delete from audit.events where seq = ${seq}`)).toMatch(/append-only: DELETE/);
    expect(await refused(sql`update audit.events set actor = 'x' where seq = ${seq}`)).toMatch(/append-only: UPDATE/);
    expect(await refused(sql`truncate audit.events`)).toMatch(/append-only: TRUNCATE/);
    // A function of another name (even archive_events in another schema) is not the door.
    await test.database.db.execute(sql.raw(`create function public.archive_events(s bigint) returns void language plpgsql as $$ begin delete from audit.events where seq = s; end $$`));
    expect(await refused(sql`select public.archive_events(${seq})`)).toMatch(/append-only: DELETE/);
    expect(await refused(sql`select audit.archive_events(${seq}, now() + interval '1 day', 'x', 'x')`)).toMatch(/in the future/);
    expect((await eventsAsJson(sql`seq = ${seq}`)).length).toBe(1);
  });
});
