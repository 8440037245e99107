import { and, arrayContains, eq, gte, inArray, lt, notInArray, sql, type SQL } from 'drizzle-orm';
import { jsonbRecordset, rawRows, readableBy, searchDocuments, type Db, type DbOrTx } from '@memory-context/db';
import type { VectorQuery } from '@memory-context/vectors';
import type { SearchDocument } from './document.js';
import { LexemeStats } from './lexeme-stats.js';
import { candidateQueryText, LEXICAL_CANDIDATE_BUDGET, planCandidates } from './lexical-plan.js';

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

/** Quotes, `or` and `-word` ask for websearch syntax: such a query selects its candidates as written. */
const WEBSEARCH_SYNTAX = /"|(?:^|\s)-[\p{L}\p{N}]|(?:^|\s)or(?:\s|$)/iu;

export interface LexicalHit {
  id: string;
  kind: SearchDocument['kind'];
  score: number;
}

/** The lexical half of the index: one row per entity in search.documents. */
export class DocumentIndex {
  /** How common each word is in the index (lexical search draws candidates from rarer words). */
  readonly stats: LexemeStats;
  private unmerged = 0;

  constructor(
    private readonly db: Db,
    private readonly candidateBudget = LEXICAL_CANDIDATE_BUDGET,
  ) {
    this.stats = new LexemeStats(db);
  }

  /** Writes documents in one statement (a batch's ids are distinct: the indexer loads each entity once). */
  async upsert(tx: DbOrTx, docs: readonly SearchDocument[]): Promise<void> {
    const latest = [...new Map(docs.map((d) => [d.entityId, d])).values()];
    if (latest.length === 0) return;
    // The documents as one jsonb parameter: a VALUES list of a batch costs a parameter per value to build and to bind.
    const records = jsonbRecordset(
      latest.map((doc) => ({
        entity_id: doc.entityId,
        kind: doc.kind,
        submodule_id: doc.submoduleId,
        privacy_level: doc.privacyLevel,
        tags: doc.tags,
        tag_text: doc.tags.join(' '),
        title: doc.title,
        body: doc.body,
        version: doc.version,
        created_at: doc.createdAt.toISOString(),
      })),
      [
        ['entity_id', 'uuid'],
        ['kind', 'text'],
        ['submodule_id', 'text'],
        ['privacy_level', 'text'],
        ['tags', 'text[]'],
        ['tag_text', 'text'],
        ['title', 'text'],
        ['body', 'text'],
        ['version', 'integer'],
        ['created_at', 'timestamptz'],
      ],
    );
    await tx.execute(sql`
      insert into ${searchDocuments} (entity_id, kind, submodule_id, privacy_level, tags, title, body, tsv, version, created_at, indexed_at)
      select r.entity_id, r.kind, r.submodule_id, r.privacy_level, r.tags, r.title, r.body,
        setweight(to_tsvector(${TS_CONFIG}::regconfig, r.title), 'A')
          || setweight(to_tsvector(${TS_CONFIG}::regconfig, r.tag_text), 'B')
          || setweight(to_tsvector(${TS_CONFIG}::regconfig, r.body), 'C'),
        r.version, r.created_at, now()
      from ${records}
      on conflict (entity_id) do update set
        kind = excluded.kind, submodule_id = excluded.submodule_id, privacy_level = excluded.privacy_level, tags = excluded.tags,
        title = excluded.title, body = excluded.body, tsv = excluded.tsv, version = excluded.version,
        created_at = excluded.created_at, indexed_at = excluded.indexed_at`);
    this.stats.noteWrites(latest.length);
    this.unmerged += latest.length;
  }

  /**
   * After writes: merges the full-text index's pending entries into its tree
   * (a query reads pending entries one by one, and a long list turns the
   * planner to a sequential scan), and refreshes word statistics when due.
   * The indexer calls it every few seconds; autovacuum does the same on a
   * server, PGlite has none.
   */
  async maintain(): Promise<{ merged: boolean; analysed: boolean }> {
    const merged = this.unmerged > 0;
    if (merged) {
      this.unmerged = 0;
      await this.db.execute(sql`select gin_clean_pending_list('search.documents_tsv'::regclass)`);
    }
    return { merged, analysed: await this.stats.maintain() };
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
    const candidates = (await this.candidateQuery(query)) ?? tsquery;
    const rows = await this.db
      .select({ id: searchDocuments.entityId, kind: searchDocuments.kind, score: rank })
      .from(searchDocuments)
      .where(and(sql`${searchDocuments.tsv} @@ ${candidates}`, ...filterConditions(filter)))
      .orderBy(sql`${rank} desc`, searchDocuments.entityId)
      .limit(limit);
    return rows.map((r) => ({ id: r.id, kind: r.kind, score: Number(r.score) }));
  }

  /**
   * The tsquery that selects the documents to rank, when the index is large
   * enough for it to matter: built from the query's rarer words (see
   * `planCandidates`). Undefined: rank every document the query matches.
   */
  async candidateQuery(query: string): Promise<SQL | undefined> {
    if (WEBSEARCH_SYNTAX.test(query)) return undefined;
    const stats = await this.stats.frequencies();
    if (!stats || stats.documents <= this.candidateBudget) return undefined;
    const [row] = await rawRows<{ lexemes: string[] }>(this.db, sql`select tsvector_to_array(to_tsvector(${TS_CONFIG}::regconfig, ${query})) as lexemes`);
    const lexemes = row?.lexemes ?? [];
    if (lexemes.length <= 1) return undefined;
    const plan = planCandidates(lexemes, stats, this.candidateBudget);
    if (plan.length === 0) return undefined;
    return sql`${candidateQueryText(plan)}::tsquery`;
  }

  /** An indexed document's title and tags, as a question about it (for related memory). */
  async titleOf(id: string): Promise<string | undefined> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return undefined;
    const [row] = await this.db.select({ title: searchDocuments.title, tags: searchDocuments.tags }).from(searchDocuments).where(eq(searchDocuments.entityId, id));
    return row ? [row.title, ...row.tags].join(' ') : undefined;
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

