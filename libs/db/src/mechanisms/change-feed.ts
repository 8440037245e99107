import { and, asc, gt, or, sql } from 'drizzle-orm';
import { MAX_CHANGE_PAGE, type ChangeOp } from '@memory-context/protocol';
import type { DbOrTx } from '../database.js';
import { getTableConfig } from 'drizzle-orm/pg-core';
import type { mechanismTables } from '../schema/columns.js';
import { readableBy, type Actor } from './access.js';
import { beginFeedRead, decodeFeedPosition } from './feed-retention.js';

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
 * Written in the same transaction as the entity change it records. The
 * per-feed lock, held to commit, makes `seq` order equal commit order, so a
 * reader that has seen seq N can never later find a smaller seq appear.
 */
export async function appendChange(tx: DbOrTx, table: ChangesTable, change: ChangeRecord, notifyChannel?: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${getTableConfigName(table)}))`);
  await tx.insert(table).values({ ...change, previousPrivacyLevel: change.previousPrivacyLevel ?? null });
  // Delivered at commit; wakes the search indexer early where LISTEN exists.
  if (notifyChannel) await tx.execute(sql`select pg_notify(${notifyChannel}, ${change.entityId})`);
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

export function parseFeedCursor(after: string | null | undefined): number {
  return decodeFeedPosition(after).seq;
}

/**
 * Reads one page of the feed as this actor sees it. A change is returned when
 * the actor can read the entity's level after the change (UPSERT/DELETE as
 * recorded) or could before it (then it is a DELETE: the reader lost access).
 */
export async function readFeed(db: DbOrTx, table: ChangesTable, actor: Actor, after: string | null | undefined, limit: number): Promise<FeedPage> {
  const read = await beginFeedRead(db, table, after);
  const afterSeq = read.afterSeq;
  const pageSize = Math.min(Math.max(1, Math.trunc(limit)), MAX_CHANGE_PAGE);
  const nowVisible = readableBy(actor, table);
  const wasVisible = readableBy(actor, { privacyLevel: table.previousPrivacyLevel, submoduleId: table.submoduleId });
  const rows = await db
    .select({
      seq: table.seq,
      entityId: table.entityId,
      op: table.op,
      version: table.version,
      at: table.at,
      visible: sql<boolean>`${nowVisible}`.as('visible'),
    })
    .from(table)
    .where(and(gt(table.seq, afterSeq), or(nowVisible, and(sql`${table.previousPrivacyLevel} is not null`, wasVisible))))
    .orderBy(asc(table.seq))
    .limit(pageSize + 1);
  await read.check();
  const hasMore = rows.length > pageSize;
  const page = rows.slice(0, pageSize);
  const lastSeq = page.at(-1)?.seq ?? afterSeq;
  return {
    entries: page.map((r) => ({ seq: r.seq, entityId: r.entityId, op: r.visible ? r.op : 'DELETE', version: r.version, at: r.at })),
    cursor: read.cursor(lastSeq, hasMore),
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

function getTableConfigName(table: ChangesTable): string {
  const config = getTableConfig(table);
  return `${config.schema ?? 'public'}.${config.name}`;
}
