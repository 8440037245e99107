import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgSchema, text, timestamp } from 'drizzle-orm/pg-core';
import { entityColumns, mechanismTables } from './columns.js';

export const sessionsSchema = pgSchema('sessions');

export interface SessionMessage {
  role: string;
  text: string;
  at?: string;
}

export const sessions = sessionsSchema.table(
  'sessions',
  {
    ...entityColumns(),
    title: text('title').notNull(),
    description: text('description'),
    tags: text('tags').array().notNull().default([]),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }),
    endedAt: timestamp('ended_at', { withTimezone: true, mode: 'date' }),
    content: jsonb('content').$type<SessionMessage[]>(),
    contentHash: text('content_hash'),
    contentBytes: integer('content_bytes').notNull().default(0),
    redaction: jsonb('redaction').$type<Record<string, number>>().notNull().default({}),
  },
  (t) => [
    index().on(t.submoduleId, t.privacyLevel),
    index().on(t.createdAt, t.id),
    check('sessions_privacy_level', sql`${t.privacyLevel} in ('PUBLIC', 'TEAM', 'PRIVATE')`),
    check('sessions_version', sql`${t.version} >= 1`),
    index().using('gin', t.tags),
  ],
);

export const { changes: sessionChanges, mutations: sessionMutations, archive: sessionArchive } = mechanismTables(sessionsSchema);
