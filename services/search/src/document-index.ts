import { and, arrayContains, gte, inArray, lt, notInArray, sql, type SQL } from 'drizzle-orm';
import { readableBy, searchDocuments, type Actor, type Db, type DbOrTx } from '@memory-context/db';
import type { VectorQuery } from '@memory-context/vectors';
import type { SearchDocument } from './document.js';

/** Full-text configuration: English stemming, so "migrations" finds "migrate". */
const TS_CONFIG = 'english';

/**
 * websearch_to_tsquery understands quotes, `or` and `-word` and never fails
 * on odd syntax, but ANDs plain words: an agent's question ("show me sessions
 * about authentication") would then match almost nothing. Its plain ANDs
 * become ORs; ranking rewards documents that match more of the words.
 */
function tsQuery(query: string) {
  return sql`replace(websearch_to_tsquery(${TS_CONFIG}::regconfig, ${query})::text, ' & ', ' | ')::tsquery`;
}

export interface LexicalHit {
  id: string;
  kind: SearchDocument['kind'];
  score: number;
}

/** The lexical half of the index: one row per entity in search.documents. */
export class DocumentIndex {
  constructor(private readonly db: Db) {}

  async upsert(tx: DbOrTx, docs: readonly SearchDocument[]): Promise<void> {
    for (const doc of docs) {
      const tsv = sql`setweight(to_tsvector(${TS_CONFIG}::regconfig, ${doc.title}), 'A')
        || setweight(to_tsvector(${TS_CONFIG}::regconfig, ${doc.tags.join(' ')}), 'B')
        || setweight(to_tsvector(${TS_CONFIG}::regconfig, ${doc.body}), 'C')`;
      const values = { ...doc, tsv, indexedAt: sql`now()` };
      await tx
        .insert(searchDocuments)
        .values(values as never)
        .onConflictDoUpdate({ target: searchDocuments.entityId, set: { ...values, entityId: undefined } as never });
    }
  }

  async delete(tx: DbOrTx, ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await tx.delete(searchDocuments).where(inArray(searchDocuments.entityId, [...ids]));
  }

  async clear(): Promise<void> {
    await this.db.delete(searchDocuments);
  }

  async count(): Promise<number> {
    const [row] = await this.db.select({ n: sql<number>`count(*)::int` }).from(searchDocuments);
    return row?.n ?? 0;
  }

  /** Ranked full-text matches; access rules and filters are part of the query. */
  async search(query: string, filter: VectorQuery, limit: number): Promise<LexicalHit[]> {
    const tsquery = tsQuery(query);
    const rank = sql<number>`ts_rank(${searchDocuments.tsv}, ${tsquery}, 1)`;
    const rows = await this.db
      .select({ id: searchDocuments.entityId, kind: searchDocuments.kind, score: rank })
      .from(searchDocuments)
      .where(and(sql`${searchDocuments.tsv} @@ ${tsquery}`, ...filterConditions(filter)))
      .orderBy(sql`${rank} desc`, searchDocuments.entityId)
      .limit(limit);
    return rows.map((r) => ({ id: r.id, kind: r.kind, score: Number(r.score) }));
  }

  /** A passage of each document with the query's words marked `**like this**`. */
  async snippets(query: string, ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const tsquery = tsQuery(query);
    const text = sql`${searchDocuments.title} || E'\\n' || ${searchDocuments.body}`;
    const rows = await this.db
      .select({
        id: searchDocuments.entityId,
        snippet: sql<string>`ts_headline(${TS_CONFIG}::regconfig, left(${text}, 5000), ${tsquery}, 'StartSel=**, StopSel=**, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "')`,
      })
      .from(searchDocuments)
      .where(inArray(searchDocuments.entityId, [...ids]));
    return new Map(rows.map((r) => [r.id, r.snippet.replace(/\s+/g, ' ').trim()]));
  }
}

export function filterConditions(filter: VectorQuery): SQL[] {
  const d = searchDocuments;
  const conditions: SQL[] = [readableBy(filter.actor, d)];
  if (filter.kinds?.length) conditions.push(inArray(d.kind, filter.kinds));
  if (filter.submodules?.length) conditions.push(inArray(d.submoduleId, filter.submodules));
  if (filter.privacyLevels?.length) conditions.push(inArray(d.privacyLevel, filter.privacyLevels));
  if (filter.tags?.length) conditions.push(arrayContains(d.tags, filter.tags));
  if (filter.from) conditions.push(gte(d.createdAt, filter.from));
  if (filter.to) conditions.push(lt(d.createdAt, filter.to));
  if (filter.excludeIds?.length) conditions.push(notInArray(d.entityId, filter.excludeIds));
  return conditions;
}

