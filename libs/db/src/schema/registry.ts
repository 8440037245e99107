import { bigint, pgSchema, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

export const registrySchema = pgSchema('registry');

export const submodules = registrySchema.table('submodules', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  gitUrl: text('git_url'),
  lastSyncAt: timestamp('last_sync_at', { withTimezone: true, mode: 'date' }),
  syncStatus: text('sync_status', { enum: ['ACTIVE', 'PAUSED', 'OFFLINE'] }).notNull().default('ACTIVE'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/** Where each consumer (patterns, checkpoints, the search indexer) is in each change feed. */
export const feedCursors = registrySchema.table(
  'feed_cursors',
  {
    consumer: text('consumer').notNull(),
    feed: text('feed').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull().default(0),
    /** With seq, the position applied so far (feed-position.ts); 0 with a seq > 0: a cursor from before positions. */
    txid: bigint('txid', { mode: 'number' }).notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.consumer, t.feed] })],
);
