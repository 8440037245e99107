import { sql } from 'drizzle-orm';
import { bigserial, check, index, jsonb, pgSchema, text, timestamp } from 'drizzle-orm/pg-core';

export const auditSchema = pgSchema('audit');

/** Append-only: a migration installs triggers that refuse UPDATE, DELETE and TRUNCATE. */
export const auditEvents = auditSchema.table(
  'events',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    resourceType: text('resource_type').notNull(),
    resourceId: text('resource_id'),
    submoduleId: text('submodule_id'),
    reason: text('reason'),
    requestId: text('request_id'),
    outcome: text('outcome', { enum: ['SUCCESS', 'DENIED', 'FAILED'] }).notNull(),
    /** Metadata only (counts, field names), never content. */
    details: jsonb('details').$type<Record<string, unknown>>(),
  },
  (t) => [
    index().on(t.resourceType, t.resourceId),
    index().on(t.actor, t.at),
    /** The retention pass finds events past their retention by time (audit-archive.ts). */
    index().on(t.at),
    check('events_outcome', sql`${t.outcome} in ('SUCCESS', 'DENIED', 'FAILED')`),
  ],
);
