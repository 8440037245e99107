import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgSchema, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { entityColumns, mechanismTables } from './columns.js';

export const checkpointsSchema = pgSchema('checkpoints');

/** Immutable once written: a trigger refuses every UPDATE but the tombstone of a deletion. */
export const checkpoints = checkpointsSchema.table(
  'checkpoints',
  {
    ...entityColumns(),
    title: text('title').notNull(),
    takenAt: timestamp('taken_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    gitRef: text('git_ref'),
    summary: text('summary'),
    content: text('content'),
    contentHash: text('content_hash'),
    contentBytes: integer('content_bytes').notNull().default(0),
    redaction: jsonb('redaction').$type<Record<string, number>>().notNull().default({}),
  },
  (t) => [
    index().on(t.submoduleId, t.takenAt),
    index().on(t.createdAt, t.id),
    index().on(t.gitRef),
    check('checkpoints_privacy_level', sql`${t.privacyLevel} in ('PUBLIC', 'TEAM', 'PRIVATE')`),
  ],
);

export const checkpointSessions = checkpointsSchema.table(
  'sessions',
  {
    checkpointId: uuid('checkpoint_id').notNull().references(() => checkpoints.id, { onDelete: 'cascade' }),
    sessionId: uuid('session_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.checkpointId, t.sessionId] }), index().on(t.sessionId)],
);

export const { changes: checkpointChanges, mutations: checkpointMutations, archive: checkpointArchive } = mechanismTables(checkpointsSchema);
