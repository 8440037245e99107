import { and, eq, sql } from 'drizzle-orm';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { MemctxError } from '@memory-context/protocol';
import type { Db, DbOrTx } from '../database.js';
import type { mechanismTables } from '../schema/columns.js';
import { feedCursors } from '../schema/registry.js';
import { rawRows } from './raw-rows.js';
import { committedBefore, compareFeedPositions, encodeFeedCursor, FEED_START, latestPosition, type FeedPosition } from './feed-position.js';

type ChangesTable = ReturnType<typeof mechanismTables>['changes'];

/**
 * The row of `registry.feed_cursors` that records a feed's horizon: the
 * position (txid, seq) of the latest removed change some reader may have needed. Kept there so
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
  /** The seq of the feed's horizon after this pass (0: no cursor has expired). */
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
 * Nothing a feed follower (registry.feed_cursors) has not applied yet, and
 * nothing of a transaction that may still be running, is removed. Positions
 * are (txid, seq), commit order (feed-position.ts).
 */
export async function compactFeed(db: Db, table: ChangesTable, retention: FeedRetention): Promise<CompactionResult> {
  const { qualified } = feedName(table);
  const changes = sql.raw(qualified.split('.').map((part) => `"${part}"`).join('.'));
  const committed = committedBefore({ txid: sql.raw('c.txid') });
  return db.transaction(async (tx) => {
    const [result] = await rawRows<{ removed: number; horizon_txid: string | number | null; horizon_seq: string | number | null }>(
      tx,
      sql`
        with bound as (
          select coalesce(min(array[txid, seq]), array[9223372036854775807, 9223372036854775807]::bigint[]) as position from registry.feed_cursors
          where feed = ${qualified} and consumer <> ${FEED_HORIZON_CONSUMER}
        ),
        classified as (
          select c.seq, c.txid, c.op = 'UPSERT' and (c.previous_privacy_level is null or c.previous_privacy_level = c.privacy_level) as plain, c.at, c.op,
            exists (select 1 from ${changes} n where n.entity_id = c.entity_id and (n.txid, n.seq) > (c.txid, c.seq)) as superseded
          from ${changes} c, bound
          where array[c.txid, c.seq] <= bound.position and ${committed} and c.at < now() - make_interval(secs => ${retention.retentionSeconds})
        ),
        removed as (
          delete from ${changes} d using classified k
          where d.seq = k.seq and (
            (k.plain and k.superseded)
            or (not k.plain and k.at < now() - make_interval(secs => ${retention.tombstoneRetentionSeconds}) and (k.superseded or k.op = 'DELETE'))
          )
          returning k.txid, k.seq, k.plain
        ),
        latest as (select txid, seq from removed where not plain order by txid desc, seq desc limit 1)
        select (select count(*)::int from removed) as removed, (select txid from latest) as horizon_txid, (select seq from latest) as horizon_seq`,
    );
    if (result?.horizon_seq !== null && result?.horizon_seq !== undefined) {
      const removed: FeedPosition = { txid: Number(result.horizon_txid), seq: Number(result.horizon_seq) };
      const current = await readHorizon(tx, qualified);
      const horizon = latestPosition(current, removed);
      await tx
        .insert(feedCursors)
        .values({ consumer: FEED_HORIZON_CONSUMER, feed: qualified, seq: horizon.seq, txid: horizon.txid })
        .onConflictDoUpdate({ target: [feedCursors.consumer, feedCursors.feed], set: { seq: horizon.seq, txid: horizon.txid, updatedAt: sql`now()` } });
    }
    return { removed: result?.removed ?? 0, horizon: (await readHorizon(tx, qualified)).seq };
  });
}

async function readHorizon(db: DbOrTx, qualified: string): Promise<FeedPosition> {
  const [row] = await db
    .select({ seq: feedCursors.seq, txid: feedCursors.txid })
    .from(feedCursors)
    .where(and(eq(feedCursors.consumer, FEED_HORIZON_CONSUMER), eq(feedCursors.feed, qualified)));
  return row ? { txid: Number(row.txid), seq: Number(row.seq) } : FEED_START;
}

/** The seq of the feed's horizon: a cursor behind it has expired (0: none has). */
export async function feedHorizon(db: DbOrTx, table: ChangesTable): Promise<number> {
  return (await readHorizon(db, feedName(table).qualified)).seq;
}

export interface FeedRead {
  /** After the page's rows are read: CURSOR_EXPIRED when compaction removed changes this reader needed. */
  check(): Promise<void>;
  /** The cursor to return for a page that ends at `last`. */
  cursor(last: FeedPosition, hasMore: boolean): string;
}

function isStart(position: FeedPosition): boolean {
  return position.txid === 0 && position.seq === 0;
}

/**
 * Retention's part of reading one page, around the page's query. Before it:
 * the feed's head (its latest committed row) and horizon. A read from the
 * beginning takes the horizon as its floor: it needs nothing removed before
 * it started. After the query: the horizon again, which must not have passed
 * the cursor or its floor (a compaction that committed meanwhile is seen).
 * The last page's cursor moves to the head, past changes this reader may not
 * see, so a reader that keeps pulling stays ahead of the horizon.
 */
export async function beginFeedRead(db: DbOrTx, table: ChangesTable, position: FeedPosition, cursorFloor: FeedPosition | undefined): Promise<FeedRead> {
  const { schema, qualified } = feedName(table);
  const [headRow] = await db
    .select({ txid: table.txid, seq: table.seq })
    .from(table)
    .where(committedBefore(table))
    .orderBy(sql`${table.txid} desc, ${table.seq} desc`)
    .limit(1);
  const head: FeedPosition = headRow ? { txid: Number(headRow.txid), seq: Number(headRow.seq) } : FEED_START;
  const horizonBefore = await readHorizon(db, qualified);
  const floor = isStart(position) ? horizonBefore : (cursorFloor ?? FEED_START);
  return {
    async check() {
      if (isStart(position)) return;
      if (compareFeedPositions(await readHorizon(db, qualified), latestPosition(position, floor)) <= 0) return;
      const feed = FEED_FIELDS[schema] ?? qualified;
      throw new MemctxError(
        'CURSOR_EXPIRED',
        `This ${feed} cursor is older than the feed's retention: changes after it were compacted away. Drop what you cached from ${feed} and read it again without \`after\`.`,
        { feed, resync: 'omit-after' },
      );
    },
    cursor(last, hasMore) {
      if (hasMore) return encodeFeedCursor(last, floor);
      return encodeFeedCursor(latestPosition(last, head, horizonBefore));
    },
  };
}
