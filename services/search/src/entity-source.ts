import { and, asc, gt, inArray, isNull } from 'drizzle-orm';
import { unionAll } from 'drizzle-orm/pg-core';
import { checkpoints, patterns, readableBy, sessions, type Actor, type Db } from '@memory-context/db';
import type { DocumentKind } from '@memory-context/vectors';
import { checkpointDocument, patternDocument, sessionDocument, type SearchDocument } from './document.js';

/**
 * Read-only access to the entities search indexes, in their own schemas of
 * the one central database.
 */
const TABLES = { SESSION: sessions, PATTERN: patterns, CHECKPOINT: checkpoints } as const;

/** Live entities of one kind among `ids`, as documents (the indexer's admin view). */
export async function loadDocuments(db: Db, kind: DocumentKind, ids: readonly string[]): Promise<Map<string, SearchDocument>> {
  if (ids.length === 0) return new Map();
  const unique = [...new Set(ids)];
  let docs: SearchDocument[];
  if (kind === 'SESSION') {
    docs = (await db.select().from(sessions).where(and(inArray(sessions.id, unique), isNull(sessions.deletedAt)))).map(sessionDocument);
  } else if (kind === 'PATTERN') {
    docs = (await db.select().from(patterns).where(and(inArray(patterns.id, unique), isNull(patterns.deletedAt)))).map(patternDocument);
  } else {
    docs = (await db.select().from(checkpoints).where(and(inArray(checkpoints.id, unique), isNull(checkpoints.deletedAt)))).map(checkpointDocument);
  }
  return new Map(docs.map((d) => [d.entityId, d]));
}

/** Live entity ids of one kind after `afterId`, in id order (a reindex walks them in pages). */
export async function liveIdsPage(db: Db, kind: DocumentKind, afterId: string | undefined, limit: number): Promise<string[]> {
  const table = TABLES[kind];
  const conditions = [isNull(table.deletedAt)];
  if (afterId) conditions.push(gt(table.id, afterId));
  const rows = await db.select({ id: table.id }).from(table).where(and(...conditions)).orderBy(asc(table.id)).limit(limit);
  return rows.map((r) => r.id);
}

/**
 * Which hits are live and readable right now. The index follows the feeds a
 * moment behind; this check makes a deletion or a privacy change take effect
 * in results at once.
 */
export async function readableNow(db: Db, actor: Actor, hits: ReadonlyArray<{ id: string; kind: DocumentKind }>): Promise<Set<string>> {
  const queries = (['SESSION', 'PATTERN', 'CHECKPOINT'] as const).flatMap((kind) => {
    const ids = hits.filter((h) => h.kind === kind).map((h) => h.id);
    if (ids.length === 0) return [];
    const table = TABLES[kind];
    return [db.select({ id: table.id }).from(table).where(and(inArray(table.id, ids), isNull(table.deletedAt), readableBy(actor, table)))];
  });
  const [first, second, ...rest] = queries;
  if (!first) return new Set();
  // One statement for all kinds: on PGlite every round trip costs as much as the lookup itself.
  const rows = second ? await unionAll(first, second, ...rest) : await first;
  return new Set(rows.map((row) => row.id));
}
