import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { isMemctxError, type MemctxError } from '@memory-context/protocol';
import { createTestDatabase, type TestDatabase } from '../testing.js';
import { patternChanges } from '../schema/patterns.js';
import { sessionChanges } from '../schema/sessions.js';
import { appendChange, readFeed, type ChangeRecord } from './change-feed.js';
import { compactFeed, feedHorizon } from './feed-retention.js';
import { setFeedCursor } from './feed-follower.js';
import { rawRows } from './raw-rows.js';

let test: TestDatabase;
beforeEach(async () => {
  test = await createTestDatabase();
});
afterEach(async () => test?.close());

const DAY = 86_400;
const RETENTION = { retentionSeconds: 7 * DAY, tombstoneRetentionSeconds: 30 * DAY };
const reader = { submoduleId: 'reader', admin: false };

async function change(entityId: string, op: 'UPSERT' | 'DELETE', version: number, daysAgo: number, levels: Partial<ChangeRecord> = {}): Promise<number> {
  await test.database.db.transaction((tx) =>
    appendChange(tx, sessionChanges, { entityId, submoduleId: 'owner', privacyLevel: 'TEAM', op, version, ...levels }),
  );
  const [row] = await rawRows<{ seq: number }>(
    test.database.db,
    sql`update sessions.changes set at = now() - make_interval(days => ${daysAgo}) where seq = (select max(seq) from sessions.changes) returning seq`,
  );
  return Number(row!.seq);
}

async function remaining(): Promise<number[]> {
  const rows = await test.database.db.select({ seq: sessionChanges.seq }).from(sessionChanges).orderBy(sessionChanges.seq);
  return rows.map((r) => Number(r.seq));
}

async function readAll(after: string | null): Promise<{ ops: Array<[string, string]>; cursor: string }> {
  const ops: Array<[string, string]> = [];
  let cursor = after;
  for (;;) {
    const page = await readFeed(test.database.db, sessionChanges, reader, cursor, 2);
    ops.push(...page.entries.map((e): [string, string] => [e.entityId, e.op]));
    cursor = page.cursor;
    if (!page.hasMore) return { ops, cursor };
  }
}

describe('compactFeed', () => {
  it('removes superseded updates past the retention but keeps every live entity, so a new reader still gets them all', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    await change(a, 'UPSERT', 1, 20);
    await change(a, 'UPSERT', 2, 10);
    const b1 = await change(b, 'UPSERT', 1, 20);
    const a3 = await change(a, 'UPSERT', 3, 1);
    const { cursor: early } = await readFeed(test.database.db, sessionChanges, reader, null, 1);

    const result = await compactFeed(test.database.db, sessionChanges, RETENTION);
    expect(result.removed).toBe(2);
    expect(await remaining()).toEqual([b1, a3]);
    // Plain updates move no horizon: an old cursor still reads on, and misses nothing (a3 carries a's state).
    expect(result.horizon).toBe(0);
    expect((await readAll(early)).ops).toEqual([[b, 'UPSERT'], [a, 'UPSERT']]);
    expect((await readAll(null)).ops).toEqual([[b, 'UPSERT'], [a, 'UPSERT']]);
  });

  it('keeps tombstones for the tombstone retention, then removes them and expires the cursors behind them', async () => {
    const [gone, kept] = [randomUUID(), randomUUID()];
    await change(gone, 'UPSERT', 1, 40);
    const old = await readAll(null);
    expect(old.ops).toEqual([[gone, 'UPSERT']]);
    const deleted = await change(gone, 'DELETE', 2, 20);
    const keptSeq = await change(kept, 'UPSERT', 1, 20);

    // 20 days: past the retention, within the tombstone retention: the deletion still reaches the old cursor.
    const first = await compactFeed(test.database.db, sessionChanges, RETENTION);
    expect(first).toEqual({ removed: 1, horizon: 0 });
    expect((await readAll(old.cursor)).ops).toEqual([[gone, 'DELETE'], [kept, 'UPSERT']]);

    const second = await compactFeed(test.database.db, sessionChanges, { retentionSeconds: 7 * DAY, tombstoneRetentionSeconds: 15 * DAY });
    expect(second).toEqual({ removed: 1, horizon: deleted });
    expect(await remaining()).toEqual([keptSeq]);
    expect(await feedHorizon(test.database.db, sessionChanges)).toBe(deleted);

    const error = await readAll(old.cursor).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isMemctxError(error)).toBe(true);
    expect((error as MemctxError).code).toBe('CURSOR_EXPIRED');
    expect((error as MemctxError).details).toEqual({ feed: 'sessionChanges', resync: 'omit-after' });
    // From the beginning: the live entity, and a cursor past the horizon that reads on.
    const fresh = await readAll(null);
    expect(fresh.ops).toEqual([[kept, 'UPSERT']]);
    expect((await readAll(fresh.cursor)).ops).toEqual([]);
  });

  it('treats a change of privacy level as a tombstone: a reader who lost access learns it before it goes', async () => {
    const id = randomUUID();
    await change(id, 'UPSERT', 1, 40);
    const before = await readAll(null);
    await change(id, 'UPSERT', 2, 20, { privacyLevel: 'PRIVATE', previousPrivacyLevel: 'TEAM' });
    await change(id, 'UPSERT', 3, 10, { privacyLevel: 'PRIVATE', previousPrivacyLevel: 'PRIVATE' });

    expect((await compactFeed(test.database.db, sessionChanges, RETENTION)).horizon).toBe(0);
    expect((await readAll(before.cursor)).ops).toEqual([[id, 'DELETE']]);
  });

  it('moves the cursor past changes the reader may not see, so a quiet reader stays ahead of the horizon', async () => {
    const mine = randomUUID();
    await change(mine, 'UPSERT', 1, 40);
    const start = await readAll(null);
    const hidden = randomUUID();
    await change(hidden, 'UPSERT', 1, 40, { privacyLevel: 'PRIVATE' });
    await change(hidden, 'DELETE', 2, 35, { privacyLevel: 'PRIVATE' });
    const quiet = await readAll(start.cursor);
    expect(quiet.ops).toEqual([]);
    expect((await compactFeed(test.database.db, sessionChanges, RETENTION)).horizon).toBeGreaterThan(0);
    expect((await readAll(quiet.cursor)).ops).toEqual([]);
  });

  it('lets a read from the beginning page through a compacted feed below the horizon, and expires it if compaction passes it meanwhile', async () => {
    const live = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    for (const id of live) await change(id, 'UPSERT', 1, 50);
    const gone = randomUUID();
    await change(gone, 'UPSERT', 1, 45);
    const deleted = await change(gone, 'DELETE', 2, 40);
    expect((await compactFeed(test.database.db, sessionChanges, RETENTION)).horizon).toBe(deleted);

    // Pages of two: the first cursors lie below the horizon, yet nothing this reader needs was removed.
    const fresh = await readAll(null);
    expect(fresh.ops).toEqual(live.map((id) => [id, 'UPSERT']));

    const first = await readFeed(test.database.db, sessionChanges, reader, null, 2);
    expect(first.hasMore).toBe(true);
    const later = randomUUID();
    await change(later, 'UPSERT', 1, 39);
    await change(later, 'DELETE', 2, 38);
    expect((await compactFeed(test.database.db, sessionChanges, RETENTION)).horizon).toBeGreaterThan(deleted);
    await expect(readFeed(test.database.db, sessionChanges, reader, first.cursor, 2)).rejects.toMatchObject({ code: 'CURSOR_EXPIRED' });
  });

  it('names the feed of the expired cursor: patterns and checkpoints compact the same way', async () => {
    const id = randomUUID();
    await test.database.db.transaction((tx) => appendChange(tx, patternChanges, { entityId: id, submoduleId: 'owner', privacyLevel: 'TEAM', op: 'UPSERT', version: 1 }));
    const before = await readFeed(test.database.db, patternChanges, reader, null, 10);
    await test.database.db.transaction((tx) => appendChange(tx, patternChanges, { entityId: id, submoduleId: 'owner', privacyLevel: 'TEAM', op: 'DELETE', version: 2 }));
    await test.database.db.transaction((tx) => appendChange(tx, patternChanges, { entityId: randomUUID(), submoduleId: 'owner', privacyLevel: 'TEAM', op: 'UPSERT', version: 1 }));
    await rawRows(test.database.db, sql`update patterns.changes set at = now() - interval '40 days'`);
    expect((await compactFeed(test.database.db, patternChanges, RETENTION)).removed).toBe(2);
    expect(await feedHorizon(test.database.db, sessionChanges)).toBe(0);
    await expect(readFeed(test.database.db, patternChanges, reader, before.cursor, 10)).rejects.toMatchObject({ code: 'CURSOR_EXPIRED', details: { feed: 'patternChanges' } });
  });

  it('leaves changes a feed follower has not applied yet', async () => {
    const id = randomUUID();
    const first = await change(id, 'UPSERT', 1, 40);
    await change(id, 'DELETE', 2, 35);
    const [row] = await rawRows<{ txid: string }>(test.database.db, sql`select txid from sessions.changes where seq = ${first}`);
    const txid = Number(row?.txid);
    await setFeedCursor(test.database.db, 'patterns', sessionChanges, { txid, seq: first - 1 });
    expect((await compactFeed(test.database.db, sessionChanges, RETENTION)).removed).toBe(0);
    await setFeedCursor(test.database.db, 'patterns', sessionChanges, { txid, seq: first });
    expect((await compactFeed(test.database.db, sessionChanges, RETENTION)).removed).toBe(1);
  });
});
