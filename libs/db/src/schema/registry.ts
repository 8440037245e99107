import { pgSchema, text, timestamp } from 'drizzle-orm/pg-core';

export const registrySchema = pgSchema('registry');

export const submodules = registrySchema.table('submodules', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  gitUrl: text('git_url'),
  lastSyncAt: timestamp('last_sync_at', { withTimezone: true, mode: 'date' }),
  syncStatus: text('sync_status', { enum: ['ACTIVE', 'PAUSED', 'OFFLINE'] }).notNull().default('ACTIVE'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});
