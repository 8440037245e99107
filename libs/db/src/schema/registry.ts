import { bigint, boolean, pgSchema, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

export const registrySchema = pgSchema('registry');

export const submodules = registrySchema.table('submodules', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  gitUrl: text('git_url'),
  lastSyncAt: timestamp('last_sync_at', { withTimezone: true, mode: 'date' }),
  syncStatus: text('sync_status', { enum: ['ACTIVE', 'PAUSED', 'OFFLINE'] }).notNull().default('ACTIVE'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/**
 * Where each consumer (patterns, checkpoints, the search indexer) is in each
 * change feed; the consumer `feed-retention` holds each feed's compaction
 * horizon instead (mechanisms/feed-retention.ts).
 */
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

/**
 * One row at most: how far positions written from now on are shifted past
 * the transaction id (feed-clock.ts). A restore raises it above every
 * restored position; read by registry.feed_txid() (migration 0007).
 */
export const feedClock = registrySchema.table('feed_clock', {
  single: boolean('single').primaryKey().default(true),
  shift: bigint('shift', { mode: 'number' }).notNull().default(0),
});
