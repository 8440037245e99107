import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { getTableConfig } from 'drizzle-orm/pg-core';
import type { Database, DbOrTx, Tx } from '../database.js';
import type { mechanismTables } from '../schema/columns.js';
import { feedCursors } from '../schema/registry.js';
import { legacyPosition } from './change-feed.js';
import { afterPosition, committedBefore, compareFeedPositions, FEED_START, type FeedPosition } from './feed-position.js';

type ChangesTable = ReturnType<typeof mechanismTables>['changes'];
export type RawChange = ChangesTable['$inferSelect'];

export interface FeedFollowerOptions<Prepared = undefined> {
  database: Database;
  /** Who follows: one cursor per consumer and feed. */
  consumer: string;
  source: ChangesTable;
  /** NOTIFY channel that wakes the follower early (LISTEN where available). */
  channel?: string;
  batchSize?: number;
  pollIntervalMs?: number;
  /** How long a NOTIFY waits before it wakes the follower, so a burst wakes it once. */
  wakeDelayMs?: number;
  /**
   * Slow work for a batch done outside any transaction (embedding, calls to
   * another store). Must be idempotent: a batch may be prepared twice.
   */
  prepare?: (changes: RawChange[]) => Promise<Prepared>;
  /** Applies one batch; runs in the transaction that also advances the cursor. */
  apply: (tx: Tx, changes: RawChange[], prepared: Prepared) => Promise<void>;
  onError?: (error: unknown) => void;
}

export interface FeedFollower {
  /** Applies every change available now; resolves with how many it applied. */
  catchUp(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Follows another subgraph's change feed from a stored cursor. Each batch and
 * the cursor move commit together, so a crash neither loses nor repeats work.
 */
export async function startFeedFollower<Prepared = undefined>(options: FeedFollowerOptions<Prepared>): Promise<FeedFollower> {
  const { database, consumer, source } = options;
  const { db } = database;
  const feed = `${getTableConfig(source).schema}.${getTableConfig(source).name}`;
  const batchSize = options.batchSize ?? 200;
  let running: Promise<number> | undefined;
  let again = false;
  let stopped = false;

  const cursorWhere = and(eq(feedCursors.consumer, consumer), eq(feedCursors.feed, feed));

  // The cursor as this follower last saw it: read once, then kept in memory. The
  // batch transaction locks the stored cursor and checks it, so another process
  // following the same feed is noticed there (and the cursor read again).
  let known: FeedPosition | undefined;

  async function cursor(): Promise<FeedPosition> {
    if (known !== undefined) return known;
    await db.insert(feedCursors).values({ consumer, feed }).onConflictDoNothing();
    const [row] = await db.select({ seq: feedCursors.seq, txid: feedCursors.txid }).from(feedCursors).where(cursorWhere);
    known = await storedPosition(db, source, row);
    return known;
  }

  async function step(): Promise<number> {
    const after = await cursor();
    // Commit order, and only rows no running transaction can still precede (feed-position.ts).
    const changes = await db
      .select()
      .from(source)
      .where(and(afterPosition(source, after), committedBefore(source)))
      .orderBy(asc(source.txid), asc(source.seq))
      .limit(batchSize);
    if (changes.length === 0) return 0;
    const prepared = options.prepare ? await options.prepare(changes) : (undefined as Prepared);
    const last = changes.at(-1);
    const next = last ? { txid: last.txid, seq: last.seq } : after;
    try {
      return await db.transaction(async (tx) => {
        const [locked] = await tx.select({ seq: feedCursors.seq, txid: feedCursors.txid }).from(feedCursors).where(cursorWhere).for('update');
        // Another process applied this batch meanwhile (or the cursor was moved, or removed): leave it,
        // the next step reads on from the stored cursor.
        if (!locked || compareFeedPositions(await storedPosition(tx, source, locked), after) !== 0) {
          known = undefined;
          return changes.length;
        }
        await options.apply(tx, changes, prepared);
        await tx.update(feedCursors).set({ seq: next.seq, txid: next.txid, updatedAt: sql`now()` }).where(cursorWhere);
        known = next;
        return changes.length;
      });
    } catch (error) {
      known = undefined; // whether the cursor moved is unknown until it is read again
      throw error;
    }
  }

  async function drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await step();
      total += n;
      if (n < batchSize) return total;
      // PGlite answers without I/O: yield between batches so a long backlog does not starve requests.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  function catchUp(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let total = 0;
      do {
        again = false;
        total += await drain();
      } while (again && !stopped);
      return total;
    })().finally(() => {
      running = undefined;
    });
    return running;
  }

  const tick = () => {
    if (!stopped) catchUp().catch((error: unknown) => options.onError?.(error));
  };
  // A burst of writes sends a burst of NOTIFYs: wake once per burst, not once per write.
  let wake: NodeJS.Timeout | undefined;
  const onNotify = () => {
    wake ??= setTimeout(() => {
      wake = undefined;
      tick();
    }, options.wakeDelayMs ?? 25);
  };
  const timer = setInterval(tick, options.pollIntervalMs ?? 1000);
  timer.unref();
  const unlisten = options.channel ? await database.listen(options.channel, onNotify).catch(() => undefined) : undefined;
  tick();

  return {
    catchUp,
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearTimeout(wake);
      await unlisten?.().catch(() => {});
      await running?.catch(() => {});
    },
  };
}

/** A stored cursor's position; txid 0 with a seq: stored before positions, it stands where its row stands. */
async function storedPosition(db: DbOrTx, source: ChangesTable, row: { seq: number; txid: number } | undefined): Promise<FeedPosition> {
  if (!row) return FEED_START;
  return row.txid === 0 && row.seq > 0 ? legacyPosition(db, source, row.seq) : { txid: row.txid, seq: row.seq };
}

export interface FeedLag {
  feed: string;
  /** Where the consumer stands… */
  cursor: FeedPosition;
  /** …and the last position every reader can see now (a reindex moves the cursor here). */
  head: FeedPosition;
  /** Changes up to `head` the consumer has not applied. */
  lag: number;
}

/** How far a consumer is behind a feed. */
export async function feedLag(db: Database['db'], consumer: string, source: ChangesTable): Promise<FeedLag> {
  const feed = `${getTableConfig(source).schema}.${getTableConfig(source).name}`;
  const [stored] = await db.select({ seq: feedCursors.seq, txid: feedCursors.txid }).from(feedCursors).where(and(eq(feedCursors.consumer, consumer), eq(feedCursors.feed, feed)));
  const cursor = await storedPosition(db, source, stored);
  // Both from the (txid, seq) index: the rows past the cursor, and the last row.
  const [behind] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(source)
    .where(and(afterPosition(source, cursor), committedBefore(source)));
  const [last] = await db
    .select({ txid: source.txid, seq: source.seq })
    .from(source)
    .where(committedBefore(source))
    .orderBy(desc(source.txid), desc(source.seq))
    .limit(1);
  const head = last ?? FEED_START;
  return { feed, cursor, head, lag: behind?.n ?? 0 };
}

/** Moves a consumer's cursor (a reindex starts from the current head). */
export async function setFeedCursor(db: Database['db'], consumer: string, source: ChangesTable, position: FeedPosition): Promise<void> {
  const feed = `${getTableConfig(source).schema}.${getTableConfig(source).name}`;
  const values = { seq: position.seq, txid: position.txid };
  await db
    .insert(feedCursors)
    .values({ consumer, feed, ...values })
    .onConflictDoUpdate({ target: [feedCursors.consumer, feedCursors.feed], set: { ...values, updatedAt: sql`now()` } });
}
