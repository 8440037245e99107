import { and, asc, eq, or, sql } from 'drizzle-orm';
import { MAX_CHANGE_PAGE, type ChangeOp } from '@memory-context/protocol';
import type { DbOrTx } from '../database.js';
import type { mechanismTables } from '../schema/columns.js';
import { readableBy, type Actor } from './access.js';
import { recordsInsert } from './insert-records.js';
import { afterPosition, committedBefore, FEED_START, parseFeedCursor, type CursorPosition, type FeedPosition } from './feed-position.js';
import { beginFeedRead } from './feed-retention.js';

type ChangesTable = ReturnType<typeof mechanismTables>['changes'];

export interface ChangeRecord {
  entityId: string;
  submoduleId: string;
  privacyLevel: string;
  previousPrivacyLevel?: string | null;
  op: ChangeOp;
  version: number;
}

/**
 * Written in the same transaction as the entity change it records. No lock:
 * the row takes its transaction's id (the column default), and readers order
 * by (txid, seq) and read only rows every older transaction is done with
 * (feed-position.ts), so concurrent writers never wait for each other.
 * One statement writes the row and queues the NOTIFY (delivered at commit;
 * it wakes the search indexer early where LISTEN exists).
 */
export async function appendChange(tx: DbOrTx, table: ChangesTable, change: ChangeRecord, notifyChannel?: string): Promise<void> {
  await appendChanges(tx, table, [change], notifyChannel);
}

/** appendChange for many changes of one transaction, in one statement; their feed order is the order given. */
export async function appendChanges(tx: DbOrTx, table: ChangesTable, changes: readonly ChangeRecord[], notifyChannel?: string): Promise<void> {
  if (changes.length === 0) return;
  const rows = changes.map((change) => ({ ...change, previousPrivacyLevel: change.previousPrivacyLevel ?? null }));
  if (!notifyChannel) {
    await tx.execute(recordsInsert(table, rows));
    return;
  }
  const insert = recordsInsert(table, rows, { returning: sql.identifier(table.entityId.name) });
  // One NOTIFY per statement (the id of one of its entities): listeners only wake up and read the feed, and a
  // NOTIFY per row of a 100-row batch would be 100 wake-ups for each listener. The insert runs whole.
  await tx.execute(sql`with appended as (${insert}) select pg_notify(${notifyChannel}, entity_id::text) from (select entity_id from appended limit 1) as first`);
}

export interface FeedEntry {
  seq: number;
  entityId: string;
  /** What this reader must do: a change to a level it cannot read is a DELETE for it. */
  op: ChangeOp;
  version: number;
  at: Date;
}

export interface FeedPage {
  entries: FeedEntry[];
  cursor: string;
  hasMore: boolean;
}

/**
 * The position a client's cursor stands for. A bare seq (a cursor from before
 * commit-ordered feeds) stands where its row stands; one whose row is gone
 * starts over (every entry is applied idempotently).
 */
export async function feedPosition(db: DbOrTx, table: ChangesTable, after: string | null | undefined): Promise<CursorPosition> {
  const parsed = parseFeedCursor(after);
  if (!('legacySeq' in parsed)) return parsed;
  return legacyPosition(db, table, parsed.legacySeq);
}

export async function legacyPosition(db: DbOrTx, table: ChangesTable, seq: number): Promise<FeedPosition> {
  if (seq === 0) return FEED_START;
  const [row] = await db.select({ txid: table.txid }).from(table).where(eq(table.seq, seq));
  return row ? { txid: row.txid, seq } : FEED_START;
}

/**
 * Reads one page of the feed as this actor sees it, in commit order. A change
 * is returned when the actor can read the entity's level after the change
 * (UPSERT/DELETE as recorded) or could before it (then it is a DELETE: the
 * reader lost access). Rows of transactions that may still be running stay
 * for a later page. CURSOR_EXPIRED when compaction removed changes this
 * reader still needed (feed-retention.ts).
 */
export async function readFeed(db: DbOrTx, table: ChangesTable, actor: Actor, after: string | null | undefined, limit: number): Promise<FeedPage> {
  const cursor = await feedPosition(db, table, after);
  const position: FeedPosition = { txid: cursor.txid, seq: cursor.seq };
  const read = await beginFeedRead(db, table, position, cursor.floor);
  const pageSize = Math.min(Math.max(1, Math.trunc(limit)), MAX_CHANGE_PAGE);
  const nowVisible = readableBy(actor, table);
  const wasVisible = readableBy(actor, { privacyLevel: table.previousPrivacyLevel, submoduleId: table.submoduleId });
  const rows = await db
    .select({
      txid: table.txid,
      seq: table.seq,
      entityId: table.entityId,
      op: table.op,
      version: table.version,
      at: table.at,
      visible: sql<boolean>`${nowVisible}`.as('visible'),
    })
    .from(table)
    .where(and(afterPosition(table, position), committedBefore(table), or(nowVisible, and(sql`${table.previousPrivacyLevel} is not null`, wasVisible))))
    .orderBy(asc(table.txid), asc(table.seq))
    .limit(pageSize + 1);
  await read.check();
  const hasMore = rows.length > pageSize;
  const page = rows.slice(0, pageSize);
  const last = page.at(-1);
  return {
    entries: page.map((r) => ({ seq: r.seq, entityId: r.entityId, op: r.visible ? r.op : 'DELETE', version: r.version, at: r.at })),
    cursor: read.cursor(last ? { txid: last.txid, seq: last.seq } : position, hasMore),
    hasMore,
  };
}

/** A feed page with each UPSERT's current entity, as a `…Changes` query answers it. */
export interface EntityChangePage<T> {
  cursor: string;
  hasMore: boolean;
  changes: Array<{ op: ChangeOp; id: string; version: number; at: Date; entity: T | null }>;
}

/**
 * One page of the feed with the current state of every entity it upserts,
 * loaded in one batch (`load` applies the reader's access rules). An UPSERT
 * whose entity has since gone, or can no longer be read, is a DELETE for
 * this reader.
 */
export async function readEntityChanges<T extends { version: number }>(
  db: DbOrTx,
  table: ChangesTable,
  actor: Actor,
  after: string | null | undefined,
  limit: number,
  load: (ids: string[]) => Promise<Map<string, T>>,
): Promise<EntityChangePage<T>> {
  const page = await readFeed(db, table, actor, after, limit);
  const current = await load(page.entries.filter((e) => e.op === 'UPSERT').map((e) => e.entityId));
  return {
    cursor: page.cursor,
    hasMore: page.hasMore,
    changes: page.entries.map((e) => {
      const entity = e.op === 'UPSERT' ? current.get(e.entityId) : undefined;
      return { op: entity ? 'UPSERT' : 'DELETE', id: e.entityId, version: entity?.version ?? e.version, at: e.at, entity: entity ?? null };
    }),
  };
}
