import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { getTableConfig } from 'drizzle-orm/pg-core';
import type { Database, Tx } from '../database.js';
import type { mechanismTables } from '../schema/columns.js';
import { feedCursors } from '../schema/registry.js';

type ChangesTable = ReturnType<typeof mechanismTables>['changes'];
export type RawChange = ChangesTable['$inferSelect'];

export interface FeedFollowerOptions {
  database: Database;
  /** Who follows: one cursor per consumer and feed. */
  consumer: string;
  source: ChangesTable;
  /** NOTIFY channel that wakes the follower early (LISTEN where available). */
  channel?: string;
  batchSize?: number;
  pollIntervalMs?: number;
  /** Applies one batch; runs in the transaction that also advances the cursor. */
  apply: (tx: Tx, changes: RawChange[]) => Promise<void>;
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
export async function startFeedFollower(options: FeedFollowerOptions): Promise<FeedFollower> {
  const { database, consumer, source } = options;
  const { db } = database;
  const feed = `${getTableConfig(source).schema}.${getTableConfig(source).name}`;
  const batchSize = options.batchSize ?? 200;
  let running: Promise<number> | undefined;
  let again = false;
  let stopped = false;

  async function step(): Promise<number> {
    return db.transaction(async (tx) => {
      await tx.insert(feedCursors).values({ consumer, feed }).onConflictDoNothing();
      const [cursor] = await tx
        .select({ seq: feedCursors.seq })
        .from(feedCursors)
        .where(and(eq(feedCursors.consumer, consumer), eq(feedCursors.feed, feed)))
        .for('update');
      const after = cursor?.seq ?? 0;
      const changes = await tx.select().from(source).where(gt(source.seq, after)).orderBy(asc(source.seq)).limit(batchSize);
      if (changes.length === 0) return 0;
      await options.apply(tx, changes);
      await tx
        .update(feedCursors)
        .set({ seq: changes.at(-1)?.seq ?? after, updatedAt: sql`now()` })
        .where(and(eq(feedCursors.consumer, consumer), eq(feedCursors.feed, feed)));
      return changes.length;
    });
  }

  async function drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await step();
      total += n;
      if (n < batchSize) return total;
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
  const timer = setInterval(tick, options.pollIntervalMs ?? 1000);
  timer.unref();
  const unlisten = options.channel ? await database.listen(options.channel, tick).catch(() => undefined) : undefined;
  tick();

  return {
    catchUp,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await unlisten?.().catch(() => {});
      await running?.catch(() => {});
    },
  };
}
