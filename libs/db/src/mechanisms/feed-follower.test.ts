import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../testing.js';
import { sessionChanges } from '../schema/sessions.js';
import { appendChange } from './change-feed.js';
import { feedLag, setFeedCursor, startFeedFollower, type FeedFollower } from './feed-follower.js';

let test: TestDatabase;
const followers: FeedFollower[] = [];

// One database for the file: each test's consumer starts at the feed's head, so earlier tests' changes are not its own.
beforeAll(async () => {
  test = await createTestDatabase();
});
afterEach(async () => {
  for (const f of followers.splice(0)) await f.stop();
});
afterAll(async () => test?.close());

async function startAtHead(consumer: string): Promise<void> {
  const { head } = await feedLag(test.database.db, consumer, sessionChanges);
  await setFeedCursor(test.database.db, consumer, sessionChanges, head);
}

async function write(n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, () => randomUUID());
  for (const id of ids) {
    await test.database.db.transaction((tx) => appendChange(tx, sessionChanges, { entityId: id, submoduleId: 's', privacyLevel: 'TEAM', op: 'UPSERT', version: 1 }));
  }
  return ids;
}

async function follow(consumer: string, applied: string[], fail?: () => boolean): Promise<FeedFollower> {
  const follower = await startFeedFollower({
    database: test.database,
    consumer,
    source: sessionChanges,
    batchSize: 3,
    pollIntervalMs: 60_000,
    apply: async (_tx, changes) => {
      if (fail?.()) throw new Error('apply failed');
      applied.push(...changes.map((c) => c.entityId));
    },
  });
  followers.push(follower);
  return follower;
}

describe('startFeedFollower', () => {
  it('applies every change once, in order, and stores its cursor', async () => {
    await startAtHead('t');
    const ids = await write(7);
    const applied: string[] = [];
    const follower = await follow('t', applied);
    await follower.catchUp();
    expect(applied).toEqual(ids);
    expect((await feedLag(test.database.db, 't', sessionChanges)).lag).toBe(0);
    const more = await write(2);
    await follower.catchUp();
    expect(applied).toEqual([...ids, ...more]);
  });

  it('shares the work with another follower of the same consumer without applying anything twice', async () => {
    await startAtHead('shared');
    const ids = await write(10);
    const first: string[] = [];
    const second: string[] = [];
    const a = await follow('shared', first);
    const b = await follow('shared', second);
    await Promise.all([a.catchUp(), b.catchUp()]);
    const more = await write(5);
    await Promise.all([b.catchUp(), a.catchUp()]);
    await Promise.all([a.catchUp(), b.catchUp()]);
    expect([...first, ...second].sort()).toEqual([...ids, ...more].sort());
  });

  it('reads on from a cursor moved by someone else (a reindex)', async () => {
    await startAtHead('moved');
    const applied: string[] = [];
    const follower = await follow('moved', applied);
    await follower.catchUp(); // the first pass (started with the follower) is over: nothing to apply yet
    const skipped = await write(4);
    const { head } = await feedLag(test.database.db, 'moved', sessionChanges);
    await setFeedCursor(test.database.db, 'moved', sessionChanges, head);
    const after = await write(2);
    await follower.catchUp();
    expect(applied.filter((id) => skipped.includes(id))).toEqual([]);
    expect(applied).toEqual(after);
  });

  it('loses nothing when a batch fails: the next step applies it again', async () => {
    await startAtHead('flaky');
    const ids = await write(4);
    const applied: string[] = [];
    let failures = 1;
    const follower = await follow('flaky', applied, () => failures-- > 0);
    await follower.catchUp().catch(() => {});
    await follower.catchUp();
    expect(applied).toEqual(ids);
  });
});
