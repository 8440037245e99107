import type { Database } from 'better-sqlite3';
import { ENTITY_KINDS, TABLE, type AnyEntity, type EntityKind } from './entities.js';
import type { PrivacyLevel } from './generated/graphql.js';

export interface SearchOptions {
  kinds?: readonly EntityKind[];
  submodules?: readonly string[];
  privacyLevels?: readonly PrivacyLevel[];
  /** Most hits returned (default 20). */
  limit?: number;
}

export interface SearchHit {
  kind: EntityKind;
  id: string;
  /** Higher is better. Cache scores are negated BM25 ranks: comparable within one result only. */
  score: number;
  /** The best matching passage, matches in [brackets]. */
  snippet: string;
  entity: AnyEntity;
}

export interface SearchResult {
  hits: SearchHit[];
  source: 'network' | 'cache';
  /** True when the hits come from the cache, which holds only what was pulled, read or written here. */
  stale: boolean;
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

/** Full-text search over the cached rows (the offline half of `client.search`). */
export function searchCache(db: Database, text: string, options: SearchOptions = {}): SearchHit[] {
  const match = ftsQuery(text);
  if (!match) return [];
  const limit = options.limit ?? 20;
  const hits: SearchHit[] = [];
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
    const rows = db
      .prepare<unknown[], { id: string; data: string; rank: number; snippet: string }>(
        `SELECT t.id, t.data, bm25(${fts}, 2.0, 1.0) AS rank, snippet(${fts}, -1, '[', ']', '…', 16) AS snippet
         FROM ${fts} JOIN ${table} t ON t.row_id = ${fts}.rowid
         WHERE ${where.join(' AND ')} ORDER BY rank LIMIT ?`,
      )
      .all(...params, limit);
    for (const row of rows) hits.push({ kind, id: row.id, score: -row.rank, snippet: row.snippet, entity: JSON.parse(row.data) as AnyEntity });
  }
  return hits.sort((a, b) => b.score - a.score).slice(0, limit);
}
