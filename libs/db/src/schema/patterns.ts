import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgSchema, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { entityColumns, mechanismTables, nowMs } from './columns.js';

export const patternsSchema = pgSchema('patterns');

export const PATTERN_KINDS = ['SOLUTION', 'ERROR_FIX', 'CONVENTION', 'WORKFLOW', 'ANTI_PATTERN'] as const;
export type PatternKind = (typeof PATTERN_KINDS)[number];

export const patterns = patternsSchema.table(
  'patterns',
  {
    ...entityColumns(),
    kind: text('kind', { enum: PATTERN_KINDS }).notNull(),
    name: text('name').notNull(),
    description: text('description'),
    body: jsonb('body').$type<unknown>(),
    tags: text('tags').array().notNull().default([]),
    /** sha256 of kind + normalized name and body: equal lessons share it. */
    fingerprint: text('fingerprint').notNull(),
    /** `shared` for PUBLIC/TEAM (merge across submodules), `private:<submodule>` for PRIVATE. */
    mergeScope: text('merge_scope').notNull(),
    occurrences: integer('occurrences').notNull().default(1),
    usageCount: integer('usage_count').notNull().default(0),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true, mode: 'date' }).notNull().default(nowMs),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'date' }).notNull().default(nowMs),
    redaction: jsonb('redaction').$type<Record<string, number>>().notNull().default({}),
  },
  (t) => [
    uniqueIndex('patterns_live_fingerprint').on(t.fingerprint, t.mergeScope).where(sql`${t.deletedAt} is null`),
    index().on(t.submoduleId, t.privacyLevel),
    index().on(t.occurrences, t.id),
    index().on(t.usageCount, t.id),
    index().on(t.lastSeenAt, t.id),
    index().using('gin', t.tags),
    check('patterns_privacy_level', sql`${t.privacyLevel} in ('PUBLIC', 'TEAM', 'PRIVATE')`),
    check('patterns_kind', sql`${t.kind} in ('SOLUTION', 'ERROR_FIX', 'CONVENTION', 'WORKFLOW', 'ANTI_PATTERN')`),
  ],
);

/** Which sessions a pattern was learned from. */
export const patternSources = patternsSchema.table(
  'sources',
  {
    patternId: uuid('pattern_id').notNull().references(() => patterns.id, { onDelete: 'cascade' }),
    sessionId: uuid('session_id').notNull(),
    /** The submodule that recorded this occurrence. */
    submoduleId: text('submodule_id').notNull(),
    linkedAt: timestamp('linked_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.patternId, t.sessionId] }), index().on(t.sessionId)],
);

export const { changes: patternChanges, mutations: patternMutations, archive: patternArchive } = mechanismTables(patternsSchema);
