import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, eventually, type TestDatabase } from '../testing.js';
import { sessionChanges } from '../schema/sessions.js';
import { appendChange, readFeed } from './change-feed.js';
import { encodeFeedCursor, parseFeedCursor } from './feed-position.js';
import { encodeCursor } from '@memory-context/protocol';
import { feedLag, setFeedCursor, startFeedFollower } from './feed-follower.js';

let test: TestDatabase;
const admin = { submoduleId: 'reader', admin: true };
const onPostgres = process.env.MEMCTX_DATABASE_URL !== undefined;

beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(async () => test?.close());

function change(entityId: string) {
  return { entityId, submoduleId: 'w', privacyLevel: 'TEAM', op: 'UPSERT' as const, version: 1 };
}

/** Reads the whole feed from `cursor` as a client pulls it: page after page until hasMore is false. */
async function pull(cursor: string | undefined, limit: number): Promise<{ ids: string[]; cursor: string | undefined }> {
  const ids: string[] = [];
  for (;;) {
    const page = await readFeed(test.database.db, sessionChanges, admin, cursor, limit);
    ids.push(...page.entries.map((e) => e.entityId));
    cursor = page.cursor;
    if (!page.hasMore) return { ids, cursor };
  }
}

/**
 * Writers (fewer than the test pool's 5 connections, so readers always get one) whose transactions overlap and commit out of order: each appends,
 * holds its transaction open a varying time, appends again and commits.
 * Calls `afterCommit` after each commit; resolves with every id written.
 */
async function overlappingWriters(writers: number, perWriter: number, afterCommit: () => void = () => {}): Promise<string[]> {
  const written: string[] = [];
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let i = 0; i < perWriter; i += 1) {
        const ids = [randomUUID(), randomUUID()];
        await test.database.db.transaction(async (tx) => {
          await appendChange(tx, sessionChanges, change(ids[0]!), 'test_feed');
          // Transactions that began later commit first.
          await sleep(((w * 7 + i * 13) % 11) + (w % 3 === 0 ? 15 : 0));
          await appendChange(tx, sessionChanges, change(ids[1]!));
        });
        written.push(...ids);
        afterCommit();
      }
    }),
  );
  return written;
}

describe('commit-ordered change feed', () => {
  it('misses nothing and repeats nothing while many writers commit out of order and a reader pulls meanwhile', async () => {
    const { cursor: start } = await pull(undefined, 1000);
    let writing = true;
    const seen: string[] = [];
    // The reader pulls small pages in a loop while the writers run, then once more after the last commit.
    const reader = (async () => {
      let cursor = start;
      while (writing) {
        const page = await pull(cursor, 7);
        seen.push(...page.ids);
        cursor = page.cursor;
        await sleep(1);
      }
      for (;;) {
        const page = await eventually(() => pull(cursor, 7), (p) => p.ids.length > 0 || seen.length >= total);
        if (page.ids.length === 0) break;
        seen.push(...page.ids);
        cursor = page.cursor;
      }
    })();
    const writes = overlappingWriters(4, 40);
    const total = 4 * 40 * 2;
    const written = await writes.finally(() => {
      writing = false;
    });
    await reader;
    expect(seen.length).toBe(written.length);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...written].sort());
  });

  it('a feed follower misses nothing and repeats nothing either, under the same writers', async () => {
    const { head } = await feedLag(test.database.db, 'concurrent', sessionChanges);
    await setFeedCursor(test.database.db, 'concurrent', sessionChanges, head);
    const applied: string[] = [];
    const follower = await startFeedFollower({
      database: test.database,
      consumer: 'concurrent',
      source: sessionChanges,
      batchSize: 5,
      pollIntervalMs: 5,
      wakeDelayMs: 1,
      apply: async (_tx, changes) => {
        applied.push(...changes.map((c) => c.entityId));
      },
    });
    const written = await overlappingWriters(4, 25, () => void follower.catchUp().catch(() => {}));
    await eventually(
      () => follower.catchUp(),
      () => applied.length >= written.length,
    );
    await follower.stop();
    expect(new Set(applied).size).toBe(applied.length);
    expect([...applied].sort()).toEqual([...written].sort());
    expect((await feedLag(test.database.db, 'concurrent', sessionChanges)).lag).toBe(0);
  });

  (onPostgres ? it : it.skip)('lets writers commit while an older writer is still open, and holds their rows back until it ends', async () => {
    const { cursor } = await pull(undefined, 1000);
    const older = randomUUID();
    const newer = randomUUID();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let appended!: () => void;
    const olderAppended = new Promise<void>((resolve) => (appended = resolve));
    const olderTx = test.database.db.transaction(async (tx) => {
      await appendChange(tx, sessionChanges, change(older));
      appended();
      await held;
    });
    await olderAppended;
    // With a feed lock this would wait for the older transaction, which waits for us: it must commit now.
    await test.database.db.transaction((tx) => appendChange(tx, sessionChanges, change(newer)));
    const whileOpen = await pull(cursor, 100);
    expect(whileOpen.ids).toEqual([]);
    expect(whileOpen.cursor).toBe(cursor);
    release();
    await olderTx;
    expect((await eventually(() => pull(whileOpen.cursor, 100), (p) => p.ids.length >= 2)).ids).toEqual([older, newer]);
  });

  (onPostgres ? it : it.skip)('is not held back by a transaction of another database on the same server', async () => {
    const { default: postgres } = await import('postgres');
    const elsewhere = postgres(process.env.MEMCTX_DATABASE_URL!, { max: 1, onnotice: () => {} });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const open = new Promise<void>((resolve) => (started = resolve));
    const other = elsewhere.begin(async (tx) => {
      await tx`select pg_current_xact_id()`; // takes a transaction id, as a writer there would
      started();
      await held;
    });
    try {
      await open;
      const { cursor } = await pull(undefined, 1000);
      const id = randomUUID();
      await test.database.db.transaction((tx) => appendChange(tx, sessionChanges, change(id)));
      expect((await eventually(() => pull(cursor, 10), (p) => p.ids.length > 0)).ids).toEqual([id]);
    } finally {
      release();
      await other;
      await elsewhere.end({ timeout: 5 });
    }
  });

  it('reads a cursor from before commit order (a bare seq) from where that row stands', async () => {
    const { cursor } = await pull(undefined, 1000);
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    for (const id of ids) await test.database.db.transaction((tx) => appendChange(tx, sessionChanges, change(id)));
    const page = await readFeed(test.database.db, sessionChanges, admin, cursor, 1);
    const position = parseFeedCursor(page.cursor);
    if ('legacySeq' in position) throw new Error('a page returns a position');
    expect(encodeFeedCursor(position)).toBe(page.cursor);
    const legacy = encodeCursor('feed', position.seq);
    expect((await pull(legacy, 10)).ids).toEqual(ids.slice(1));
    expect(() => parseFeedCursor(encodeCursor('page', 3))).toThrow(/Invalid change-feed cursor/);
  });
});
