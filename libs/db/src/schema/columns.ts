import { sql } from 'drizzle-orm';
import { bigint, bigserial, check, boolean, index, integer, jsonb, primaryKey, text, timestamp, uuid, type PgSchema } from 'drizzle-orm/pg-core';

/**
 * now() cut to the millisecond: JavaScript dates hold milliseconds, so keyset
 * cursors built from them must compare equal to what the column stores.
 */
export const nowMs = sql`date_trunc('milliseconds', now())`;

/** Columns every stored entity has (ARCHITECTURE §3). */
export function entityColumns() {
  return {
    id: uuid('id').primaryKey(),
    submoduleId: text('submodule_id').notNull(),
    privacyLevel: text('privacy_level', { enum: ['PUBLIC', 'TEAM', 'PRIVATE'] }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().default(nowMs),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    version: integer('version').notNull().default(1),
    deletedAt: timestamp('deleted_at', { withTimezone: true, mode: 'date' }),
  };
}

/**
 * The three tables each subgraph schema carries for the shared mechanisms:
 * change feed, idempotency keys and the archive of deleted content kept for
 * the GDPR retention window.
 */
export function mechanismTables(schema: PgSchema) {
  const changes = schema.table(
    'changes',
    {
      seq: bigserial('seq', { mode: 'number' }).primaryKey(),
      /** The writing transaction's id: with seq, the row's place in commit order (feed-position.ts). */
      txid: bigint('txid', { mode: 'number' }).notNull().default(sql`registry.feed_txid()`),
      entityId: uuid('entity_id').notNull(),
      submoduleId: text('submodule_id').notNull(),
      privacyLevel: text('privacy_level').notNull(),
      /** Level before this change, so a reader who lost access sees a DELETE. */
      previousPrivacyLevel: text('previous_privacy_level'),
      op: text('op', { enum: ['UPSERT', 'DELETE'] }).notNull(),
      version: integer('version').notNull(),
      at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    },
    (t) => [
      index().on(t.entityId),
      // Feed pages in commit order, answered from the index alone (every column a page reads).
      index(`${schema.schemaName}_changes_position`).on(t.txid, t.seq, t.submoduleId, t.privacyLevel, t.previousPrivacyLevel, t.op, t.entityId, t.version, t.at),
      check(`${schema.schemaName}_changes_op`, sql`${t.op} in ('UPSERT', 'DELETE')`),
    ],
  );

  const mutations = schema.table(
    'mutations',
    {
      submoduleId: text('submodule_id').notNull(),
      key: text('key').notNull(),
      operation: text('operation').notNull(),
      requestHash: text('request_hash').notNull(),
      result: jsonb('result'),
      createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    },
    (t) => [primaryKey({ columns: [t.submoduleId, t.key] }), index().on(t.createdAt)],
  );

  const archive = schema.table(
    'archive',
    {
      entityId: uuid('entity_id').primaryKey(),
      submoduleId: text('submodule_id').notNull(),
      payload: jsonb('payload').notNull(),
      reason: text('reason'),
      gdpr: boolean('gdpr').notNull().default(false),
      deletedAt: timestamp('deleted_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
      purgeAfter: timestamp('purge_after', { withTimezone: true, mode: 'date' }).notNull(),
    },
    (t) => [index().on(t.purgeAfter)],
  );

  return { changes, mutations, archive };
}
