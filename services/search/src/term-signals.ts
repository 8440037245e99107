import { and, sql } from 'drizzle-orm';
import { rawRows, searchDocuments, type Db } from '@memory-context/db';
import type { VectorQuery } from '@memory-context/vectors';
import { filterConditions } from './document-index.js';
import type { LexemeStats } from './lexeme-stats.js';
import type { FieldCounts } from './ranking.js';

/** Full-text configuration of the index (the same as document-index.ts). */
const TS_CONFIG = 'english';
/** Counting a word's documents stops here: past it, a word is common and its exact count changes little. */
const DF_CAP = 2_000;

export interface DocumentTerms {
  /** Distinct words of the document (its length, for length normalisation). */
  length: number;
  /** Query words found in the document, with how often in each field. */
  terms: Map<string, FieldCounts>;
}

/** The lexemes (stemmed words) of each text, as the index would store them. */
export async function lexemesOf(db: Db, texts: readonly string[]): Promise<string[][]> {
  if (texts.length === 0) return [];
  const rows = await rawRows<{ i: number; lexemes: string[] }>(
    db,
    sql`select t.i::int as i, tsvector_to_array(to_tsvector(${TS_CONFIG}::regconfig, t.text)) as lexemes
        from unnest(${textArray(texts)}::text[]) with ordinality as t(text, i)`,
  );
  const out: string[][] = texts.map(() => []);
  for (const row of rows) out[row.i - 1] = row.lexemes;
  return out;
}

/**
 * Where the query's words occur in each candidate: per field (title = weight
 * A, tags = B, body = C of the stored tsvector) and how often. One statement
 * over the candidates' primary keys.
 */
export async function termsOf(db: Db, ids: readonly string[], lexemes: readonly string[]): Promise<Map<string, DocumentTerms>> {
  const out = new Map<string, DocumentTerms>();
  if (ids.length === 0) return out;
  const rows = await rawRows<{ id: string; length: number; lexeme: string | null; weights: string[] | null }>(
    db,
    sql`select d.entity_id::text as id, length(d.tsv)::int as length, u.lexeme, u.weights::text[] as weights
        from search.documents d
        left join lateral unnest(d.tsv) u on u.lexeme = any(${textArray(lexemes)}::text[])
        where d.entity_id = any(${textArray(ids)}::uuid[])`,
  );
  for (const row of rows) {
    let doc = out.get(row.id);
    if (!doc) out.set(row.id, (doc = { length: row.length, terms: new Map() }));
    if (!row.lexeme || !row.weights) continue;
    const counts: FieldCounts = { title: 0, tags: 0, body: 0 };
    for (const w of row.weights) {
      if (w === 'A') counts.title++;
      else if (w === 'B') counts.tags++;
      else counts.body++;
    }
    doc.terms.set(row.lexeme, counts);
  }
  return out;
}

export interface Frequencies {
  /** Documents the reader may see (or, from statistics, all documents). */
  documents: number;
  /** Documents holding each lexeme. */
  df: Map<string, number>;
}

/**
 * How many documents hold each word, for its inverse document frequency.
 * From the index's statistics when it has them (a large index: the most
 * common words are listed, the others are rarer than the rarest listed);
 * otherwise counted among the documents the reader may see, each count
 * capped (a small index, or one not analysed yet).
 */
export async function frequenciesOf(db: Db, stats: LexemeStats, lexemes: readonly string[], filter: VectorQuery): Promise<Frequencies> {
  const known = await stats.frequencies();
  if (known && known.documents > DF_CAP) {
    const df = new Map(lexemes.map((l) => [l, Math.max(1, (known.share.get(l) ?? known.floor / 2) * known.documents)]));
    return { documents: known.documents, df };
  }
  const visible = and(...filterConditions({ actor: filter.actor }));
  const rows = await rawRows<{ lexeme: string; df: number }>(
    db,
    sql`select l.lexeme, (select count(*)::int from (select 1 from search.documents where search.documents.tsv @@ quote_literal(l.lexeme)::tsquery and ${visible} limit ${DF_CAP}) m) as df
        from unnest(${textArray(lexemes)}::text[]) as l(lexeme)`,
  );
  return { documents: await countVisible(db, filter), df: new Map(rows.map((r) => [r.lexeme, r.df])) };
}

async function countVisible(db: Db, filter: VectorQuery): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(searchDocuments).where(and(...filterConditions({ actor: filter.actor })));
  return row?.n ?? 0;
}

function textArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}
