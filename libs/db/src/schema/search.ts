import { customType, index, integer, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const searchSchema = pgSchema('search');

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * One document per indexed entity: what lexical search ranks and snippets
 * are cut from. Vectors live in the vector store (pgvector tables in this
 * schema, created by the store, or Qdrant).
 */
export const searchDocuments = searchSchema.table(
  'documents',
  {
    entityId: uuid('entity_id').primaryKey(),
    kind: text('kind', { enum: ['SESSION', 'PATTERN', 'CHECKPOINT'] }).notNull(),
    submoduleId: text('submodule_id').notNull(),
    privacyLevel: text('privacy_level').notNull(),
    tags: text('tags').array().notNull().default([]),
    title: text('title').notNull(),
    body: text('body').notNull(),
    tsv: tsvector('tsv').notNull(),
    version: integer('version').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    indexedAt: timestamp('indexed_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    index('documents_tsv').using('gin', t.tsv),
    index().on(t.submoduleId, t.privacyLevel),
    index().on(t.kind),
    index().on(t.createdAt),
    index().using('gin', t.tags),
  ],
);
