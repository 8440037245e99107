import type { Database } from 'better-sqlite3';
import { ENTITY_KINDS, TABLE, type AnyEntity, type EntityKind } from '../entities.js';

/** What an offline search can narrow by (the cached columns and tags). */
export interface LocalSearch {
  kinds?: readonly EntityKind[] | undefined;
  submodules?: readonly string[] | undefined;
  privacyLevels?: readonly string[] | undefined;
  tags?: readonly string[] | undefined;
  limit?: number | undefined;
}

export interface LocalHit {
  kind: EntityKind;
  id: string;
  /** Higher is better: the negated BM25 rank, comparable within one result only. */
  score: number;
  snippet: string;
  entity: AnyEntity;
}

/**
 * An FTS5 query from free text: every word must match (as a prefix), and no
 * character of the input can be read as FTS5 syntax.
 */
export function ftsQuery(text: string): string | undefined {
  const words = text.match(/[\p{L}\p{N}_]+/gu);
  if (!words?.length) return undefined;
  return words.map((w) => `"${w}"*`).join(' ');
}

/** Full-text search over the cached rows, best first (the offline half of `client.search`). */
export function searchCache(db: Database, text: string, options: LocalSearch = {}): LocalHit[] {
  const match = ftsQuery(text);
  if (!match) return [];
  const limit = options.limit ?? 10;
  const hits: LocalHit[] = [];
  for (const kind of options.kinds?.length ? options.kinds : ENTITY_KINDS) {
    const { table, fts } = TABLE[kind];
    const where = [`${fts} MATCH ?`];
    const params: Array<string | number> = [match];
    if (options.submodules?.length) {
      where.push(`t.submodule_id IN (${options.submodules.map(() => '?').join(', ')})`);
      params.push(...options.submodules);
    }
    if (options.privacyLevels?.length) {
      where.push(`t.privacy_level IN (${options.privacyLevels.map(() => '?').join(', ')})`);
      params.push(...options.privacyLevels);
    }
    for (const tag of options.tags ?? []) {
      where.push(`EXISTS (SELECT 1 FROM json_each(t.data, '$.tags') WHERE value = ?)`);
      params.push(tag);
    }
    const rows = db
      .prepare<unknown[], { id: string; data: string; rank: number; snippet: string }>(
        `SELECT t.id, t.data, bm25(${fts}, 2.0, 1.0) AS rank, snippet(${fts}, -1, '**', '**', '…', 16) AS snippet
         FROM ${fts} JOIN ${table} t ON t.row_id = ${fts}.rowid
         WHERE ${where.join(' AND ')} ORDER BY rank LIMIT ?`,
      )
      .all(...params, limit);
    for (const row of rows) hits.push({ kind, id: row.id, score: -row.rank, snippet: row.snippet, entity: JSON.parse(row.data) as AnyEntity });
  }
  return hits.sort((a, b) => b.score - a.score).slice(0, limit);
}
