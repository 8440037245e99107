import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { decodeCursor, encodeCursor, MemctxError } from '@memory-context/protocol';
import { FEED_CLOCK_SHIFT } from './feed-clock.js';

/**
 * A place in a change feed, in commit order: the writing transaction's id,
 * then the row's seq within it. Rows are only read once every transaction
 * with a smaller id has ended (committedBefore), so no row can later appear
 * behind a position a reader has passed, and writers take no lock to keep it so.
 */
export interface FeedPosition {
  txid: number;
  seq: number;
}

export const FEED_START: FeedPosition = { txid: 0, seq: 0 };

/** The columns a position is read from. */
export interface PositionColumns {
  txid: SQLWrapper;
  seq: SQLWrapper;
}

/** Orders two positions: negative when `a` comes first. The one place positions are compared in code. */
export function compareFeedPositions(a: FeedPosition, b: FeedPosition): number {
  return a.txid !== b.txid ? Math.sign(a.txid - b.txid) : Math.sign(a.seq - b.seq);
}

/** Rows after `position`, as a SQL predicate the (txid, seq) index answers. */
export function afterPosition(columns: PositionColumns, position: FeedPosition): SQL {
  return sql`(${columns.txid}, ${columns.seq}) > (${position.txid}::bigint, ${position.seq}::bigint)`;
}

/** Rows at or before `position`. */
export function atOrBeforePosition(columns: PositionColumns, position: FeedPosition): SQL {
  return sql`(${columns.txid}, ${columns.seq}) <= (${position.txid}::bigint, ${position.seq}::bigint)`;
}

/**
 * Rows no transaction still running can precede: those of transactions older
 * than every transaction of this database that was running at the
 * statement's snapshot (all committed or gone, and none older can be added).
 * Transaction ids are cluster-wide, so the plain snapshot xmin would also
 * wait for transactions of other databases on the same server; those are
 * left out when pg_stat_activity shows them (an id it does not place in
 * another database counts as ours: later, never lost). Evaluated once per
 * statement, with the snapshot the statement reads with.
 */
export function committedBefore(columns: Pick<PositionColumns, 'txid'>): SQL {
  return sql`${columns.txid} < ${FEED_HORIZON}`;
}

// On the feed clock (feed-clock.ts): shifted as registry.feed_txid() shifts what writers store.
const FEED_HORIZON = sql.raw(`${FEED_CLOCK_SHIFT} + coalesce(
  (select min(running::text::bigint) from pg_snapshot_xip(pg_current_snapshot()) as running
    where not exists (
      select 1 from pg_stat_activity elsewhere
      where elsewhere.datid <> (select oid from pg_database where datname = current_database())
        and elsewhere.backend_xid::text::bigint = (running::text::bigint & 4294967295))),
  pg_snapshot_xmax(pg_current_snapshot())::text::bigint)`);

/** The largest of some positions. */
export function latestPosition(first: FeedPosition, ...others: FeedPosition[]): FeedPosition {
  return others.reduce((latest, next) => (compareFeedPositions(next, latest) > 0 ? next : latest), first);
}

/**
 * A cursor: the position, and while a read from the beginning pages below the
 * feed's compaction horizon, that horizon as its floor (feed-retention.ts).
 */
export function encodeFeedCursor(position: FeedPosition, floor?: FeedPosition): string {
  const value = floor && compareFeedPositions(floor, position) > 0 ? [position.txid, position.seq, floor.txid, floor.seq] : [position.txid, position.seq];
  return encodeCursor('feed', value);
}

/** A cursor's position with its floor, if it has one. */
export type CursorPosition = FeedPosition & { floor?: FeedPosition };

/**
 * A client's cursor: a position, or (from before commit-ordered feeds) a bare
 * seq, which the reader resolves to its row's position (legacyPosition).
 */
export type ParsedFeedCursor = CursorPosition | { legacySeq: number };

export function parseFeedCursor(after: string | null | undefined): ParsedFeedCursor {
  if (after === null || after === undefined || after === '') return FEED_START;
  const value = decodeCursor('feed', after);
  if (Array.isArray(value) && (value.length === 2 || value.length === 4) && value.every((n) => Number.isSafeInteger(n) && (n as number) >= 0)) {
    const [txid, seq, floorTxid, floorSeq] = value as number[];
    const position = { txid: txid!, seq: seq! };
    return floorTxid === undefined ? position : { ...position, floor: { txid: floorTxid, seq: floorSeq! } };
  }
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return { legacySeq: value };
  throw new MemctxError('BAD_USER_INPUT', 'Invalid change-feed cursor: pass the cursor a previous page returned, or omit it to start from the beginning.');
}
