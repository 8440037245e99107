import { and, eq, sql } from 'drizzle-orm';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { decodeCursor, encodeCursor, MemctxError } from '@memory-context/protocol';
import type { Db, DbOrTx } from '../database.js';
import type { mechanismTables } from '../schema/columns.js';
import { feedCursors } from '../schema/registry.js';
import { rawRows } from './raw-rows.js';

type ChangesTable = ReturnType<typeof mechanismTables>['changes'];

/**
 * The row of `registry.feed_cursors` that records a feed's horizon: the
 * highest seq of a removed change some reader may have needed. Kept there so
 * an export carries it, and a restored feed still refuses expired cursors.
 */
export const FEED_HORIZON_CONSUMER = 'feed-retention';

/** The GraphQL field that serves each feed, as clients name it. */
const FEED_FIELDS: Record<string, string> = { sessions: 'sessionChanges', patterns: 'patternChanges', checkpoints: 'checkpointChanges' };

export interface FeedRetention {
  /** A change superseded by a later change of the same entity, at the same privacy level, goes after this long. */
  retentionSeconds: number;
  /** A deletion or a change of privacy level (a DELETE for some reader) goes after this long; its removal moves the horizon. */
  tombstoneRetentionSeconds: number;
}

export interface CompactionResult {
  removed: number;
  /** The feed's horizon after this pass (0: no cursor has expired). */
  horizon: number;
}

function feedName(table: ChangesTable): { schema: string; qualified: string } {
  const config = getTableConfig(table);
  const schema = config.schema ?? 'public';
  return { schema, qualified: `${schema}.${config.name}` };
}

/**
 * Compacts one change feed. The latest change of every live entity stays, so
 * a reader starting from the beginning still receives every entity. Removed:
 * plain updates superseded by a later change, once older than the retention
 * (no reader misses anything: the later change reaches it); deletions and
 * privacy-level changes, once older than the tombstone retention (a reader
 * behind them would keep a copy it must drop, so the horizon moves past them).
 * Nothing a feed follower (registry.feed_cursors) has not applied yet is removed.
 */
export async function compactFeed(db: Db, table: ChangesTable, retention: FeedRetention): Promise<CompactionResult> {
  const { qualified } = feedName(table);
  const changes = sql.raw(qualified.split('.').map((part) => `"${part}"`).join('.'));
  return db.transaction(async (tx) => {
    const [result] = await rawRows<{ removed: number; horizon: string | number | null }>(
      tx,
      sql`
        with bound as (
          select coalesce(min(seq), 9223372036854775807) as seq from registry.feed_cursors
          where feed = ${qualified} and consumer <> ${FEED_HORIZON_CONSUMER}
        ),
        classified as (
          select c.seq, c.op = 'UPSERT' and (c.previous_privacy_level is null or c.previous_privacy_level = c.privacy_level) as plain, c.at, c.op,
            exists (select 1 from ${changes} n where n.entity_id = c.entity_id and n.seq > c.seq) as superseded
          from ${changes} c, bound
          where c.seq <= bound.seq and c.at < now() - make_interval(secs => ${retention.retentionSeconds})
        ),
        removed as (
          delete from ${changes} d using classified k
          where d.seq = k.seq and (
            (k.plain and k.superseded)
            or (not k.plain and k.at < now() - make_interval(secs => ${retention.tombstoneRetentionSeconds}) and (k.superseded or k.op = 'DELETE'))
          )
          returning d.seq, k.plain
        )
        select count(*)::int as removed, max(seq) filter (where not plain) as horizon from removed`,
    );
    const removedHorizon = Number(result?.horizon ?? 0);
    if (removedHorizon > 0) {
      await tx
        .insert(feedCursors)
        .values({ consumer: FEED_HORIZON_CONSUMER, feed: qualified, seq: removedHorizon })
        .onConflictDoUpdate({
          target: [feedCursors.consumer, feedCursors.feed],
          set: { seq: sql`greatest(${feedCursors.seq}, ${removedHorizon})`, updatedAt: sql`now()` },
        });
    }
    return { removed: result?.removed ?? 0, horizon: await readHorizon(tx, qualified) };
  });
}

async function readHorizon(db: DbOrTx, qualified: string): Promise<number> {
  const [row] = await db
    .select({ seq: feedCursors.seq })
    .from(feedCursors)
    .where(and(eq(feedCursors.consumer, FEED_HORIZON_CONSUMER), eq(feedCursors.feed, qualified)));
  return Number(row?.seq ?? 0);
}

/** The feed's horizon: a cursor below it has expired (0: none has). */
export async function feedHorizon(db: DbOrTx, table: ChangesTable): Promise<number> {
  return readHorizon(db, feedName(table).qualified);
}

/**
 * Where a reader is in a feed: after `seq`; `floor` is the horizon when its
 * read from the beginning started (0 once it has caught up). Its pages end
 * below the horizon without having missed anything removed before it began.
 */
export interface FeedPosition {
  seq: number;
  floor: number;
}

/** A feed cursor: the seq, or `{ seq, floor }` while a read from the beginning is below the horizon. */
export function decodeFeedPosition(after: string | null | undefined): FeedPosition {
  if (after === null || after === undefined || after === '') return { seq: 0, floor: 0 };
  const value = decodeCursor('feed', after);
  const { seq, floor } = typeof value === 'object' && value !== null ? (value as { seq?: unknown; floor?: unknown }) : { seq: value, floor: 0 };
  if (!isSeq(seq) || !isSeq(floor)) {
    throw new MemctxError('BAD_USER_INPUT', 'Invalid change-feed cursor: pass the cursor a previous page returned, or omit it to start from the beginning.');
  }
  return { seq, floor };
}

function isSeq(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function encodeFeedPosition({ seq, floor }: FeedPosition): string {
  return encodeCursor('feed', floor > seq ? { seq, floor } : seq);
}

export interface FeedRead {
  afterSeq: number;
  /** After the page's rows are read: CURSOR_EXPIRED when compaction removed changes this reader needed. */
  check(): Promise<void>;
  /** The cursor to return for a page that ends at `lastSeq`. */
  cursor(lastSeq: number, hasMore: boolean): string;
}

/**
 * Retention's part of reading one page, around the page's query. Before it:
 * the feed's head and horizon (every change up to the head has committed,
 * since seq order is commit order). After it: the horizon again, which must
 * not have passed the cursor (a compaction that committed meanwhile is seen).
 * The last page's cursor moves to the head, past changes this reader may not
 * see, so a reader that keeps pulling stays ahead of the horizon.
 */
export async function beginFeedRead(db: DbOrTx, table: ChangesTable, after: string | null | undefined): Promise<FeedRead> {
  const position = decodeFeedPosition(after);
  const { schema, qualified } = feedName(table);
  const [row] = await db.select({ seq: sql<string | number>`coalesce(max(${table.seq}), 0)` }).from(table);
  const head = Number(row?.seq ?? 0);
  const horizonBefore = await readHorizon(db, qualified);
  // A read from the beginning needs nothing removed before it started.
  const floor = position.seq === 0 ? horizonBefore : position.floor;
  return {
    afterSeq: position.seq,
    async check() {
      if (position.seq === 0) return;
      if ((await readHorizon(db, qualified)) <= Math.max(position.seq, floor)) return;
      const feed = FEED_FIELDS[schema] ?? qualified;
      throw new MemctxError(
        'CURSOR_EXPIRED',
        `This ${feed} cursor is older than the feed's retention: changes after it were compacted away. Drop what you cached from ${feed} and read it again without \`after\`.`,
        { feed, resync: 'omit-after' },
      );
    },
    cursor(lastSeq, hasMore) {
      if (hasMore) return encodeFeedPosition({ seq: lastSeq, floor });
      return encodeFeedPosition({ seq: Math.max(lastSeq, head, horizonBefore), floor: 0 });
    },
  };
}
