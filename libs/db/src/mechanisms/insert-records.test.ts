import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { auditEvents, sessions } from '../schema/index.js';
import { createTestDatabase, type TestDatabase } from '../testing.js';
import { insertRecords, recordsInsert } from './insert-records.js';
import { rawRows } from './raw-rows.js';

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(async () => test?.close());

const row = (id: string, title: string) => ({
  id,
  submoduleId: 'records',
  privacyLevel: 'TEAM' as const,
  title,
  description: null,
  tags: ['a "quoted", tag', 'ü\\back{slash}', 'plain'],
  startedAt: new Date('2026-12-03T10:00:00.000Z'),
  endedAt: null,
  content: [{ role: 'user', text: "it's \"JSON\" \\ with \u2028 and emoji \u{1F600}" }],
  contentHash: 'h'.repeat(64),
  contentBytes: 42,
  redaction: { email: 1 },
});

describe('insertRecords (rows as one jsonb parameter)', () => {
  it('stores and returns the same rows a typed drizzle insert does, defaults included', async () => {
    const { db } = test.database;
    const typed = await db.insert(sessions).values(row('018f0000-0000-7000-8000-000000000001', 'typed')).returning();
    const records = await insertRecords(db, sessions, [row('018f0000-0000-7000-8000-000000000002', 'records'), row('018f0000-0000-7000-8000-000000000003', 'second')]);
    expect(records.map((r) => r.title)).toEqual(['records', 'second']);
    const strip = (r: Record<string, unknown>) => ({ ...r, id: undefined, title: undefined, createdAt: undefined, updatedAt: undefined });
    expect(strip(records[0]!)).toEqual(strip(typed[0]!));
    // What a typed read gives back is the same too.
    const [read] = await db.select().from(sessions).where(sql`${sessions.id} = ${records[0]!.id}`);
    expect(read).toEqual(records[0]);
    expect(records[0]!.version).toBe(1);
    expect(typeof records[0]!.createdAt).toBe(typeof typed[0]!.createdAt);
  });

  it('leaves out, and does not return, a row that conflicts when asked to', async () => {
    const { db } = test.database;
    const again = await insertRecords(db, sessions, [row('018f0000-0000-7000-8000-000000000002', 'taken'), row('018f0000-0000-7000-8000-000000000004', 'new')], { onConflictDoNothing: true });
    expect(again.map((r) => r.title)).toEqual(['new']);
    await expect(insertRecords(db, sessions, [row('018f0000-0000-7000-8000-000000000004', 'taken')])).rejects.toThrow();
  });

  it('builds one parameter whatever the number of rows, usable inside another statement', async () => {
    const { db } = test.database;
    const events = Array.from({ length: 250 }, (_, i) => ({ actor: 'records', action: 'test', resourceType: 'session', outcome: 'SUCCESS' as const, details: { i } }));
    const statement = recordsInsert(auditEvents, events, { returning: sql`seq` });
    expect(new PgDialect().sqlToQuery(statement).params).toHaveLength(1);
    const counted = await rawRows<{ n: number }>(db, sql`with inserted as (${statement}) select count(*)::int as n from inserted`);
    expect(counted[0]?.n).toBe(250);
    const details = await rawRows<{ i: number }>(db, sql`select (details->>'i')::int as i from audit.events where actor = 'records' order by seq`);
    expect(details.map((d) => d.i)).toEqual(events.map((_, i) => i));
  });

  it('refuses rows that do not all give the same columns', () => {
    expect(() => recordsInsert(sessions, [row('018f0000-0000-7000-8000-000000000005', 'a'), { ...row('018f0000-0000-7000-8000-000000000006', 'b'), contentHash: undefined }])).toThrow(/every row must give contentHash/);
    // Given only by a later row: refused too, never dropped.
    expect(() => recordsInsert(sessions, [{ ...row('018f0000-0000-7000-8000-000000000007', 'a'), contentHash: undefined }, row('018f0000-0000-7000-8000-000000000008', 'b')])).toThrow(/every row must give contentHash/);
  });
});
