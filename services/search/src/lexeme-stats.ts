import { sql } from 'drizzle-orm';
import { rawRows, type Db } from '@memory-context/db';

/** How common the index's words are: Postgres' statistics of the tsvector column, as of the last ANALYZE. */
export interface LexemeFrequencies {
  /** Documents in the index when it was analysed. */
  documents: number;
  /** Share of documents (0–1) holding each of the most common lexemes (about 1,000 of them). */
  share: ReadonlyMap<string, number>;
  /** The smallest share listed: every lexeme not listed is in fewer documents than that. */
  floor: number;
}

export interface LexemeStatsOptions {
  /** How long a loaded snapshot is trusted before it is read again. Default 60 s. */
  maxAgeMs?: number;
  /** Writes since the last ANALYZE that make the next one due: at least this many… Default 500. */
  minWrites?: number;
  /**
   * …and at least this share of the documents analysed last time. Default
   * 0.5: word shares hardly move as an index grows, and on PGlite each ANALYZE
   * holds the one thread for a second or two at 100,000 documents.
   */
  growth?: number;
}

/**
 * Document frequencies of lexemes, from what ANALYZE records for
 * `search.documents.tsv` (`pg_stats.most_common_elems`). Lexical search uses
 * them to draw its candidates from a query's rarer words. Postgres' autovacuum
 * analyses the table on a server; PGlite has no autovacuum, so the indexer
 * calls `maintain()` and the table is analysed here once enough has changed.
 */
export class LexemeStats {
  private snapshot: LexemeFrequencies | undefined;
  private loadedAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<LexemeFrequencies | undefined> | undefined;
  private writes = 0;
  private analysedDocuments: number | undefined;
  private analysing: Promise<boolean> | undefined;

  constructor(
    private readonly db: Db,
    private readonly options: LexemeStatsOptions = {},
  ) {}

  /** The current frequencies, or undefined while the table has never been analysed. */
  async frequencies(): Promise<LexemeFrequencies | undefined> {
    if (performance.now() - this.loadedAt < (this.options.maxAgeMs ?? 60_000)) return this.snapshot;
    this.loading ??= this.load().finally(() => (this.loading = undefined));
    return this.loading;
  }

  /** Documents written by the indexer (counted towards the next ANALYZE). */
  noteWrites(count: number): void {
    this.writes += count;
  }

  /** Analyses the documents (word statistics and the planner's) when enough has changed since last time; true if it did. */
  maintain(): Promise<boolean> {
    this.analysing ??= this.maintainNow().finally(() => (this.analysing = undefined));
    return this.analysing;
  }

  private async maintainNow(): Promise<boolean> {
    const minWrites = this.options.minWrites ?? 500;
    if (this.analysedDocuments === undefined) {
      const known = await this.frequencies();
      if (known) this.analysedDocuments = known.documents;
      else if (this.writes < minWrites && (await this.count()) < minWrites) return false;
    }
    const due = this.analysedDocuments === undefined || this.writes >= Math.max(minWrites, this.analysedDocuments * (this.options.growth ?? 0.5));
    if (!due) return false;
    this.writes = 0;
    await this.db.execute(sql`analyze search.documents`);
    this.loadedAt = Number.NEGATIVE_INFINITY;
    this.analysedDocuments = (await this.frequencies())?.documents ?? 0;
    return true;
  }

  private async count(): Promise<number> {
    const [row] = await rawRows<{ n: number }>(this.db, sql`select count(*)::int as n from search.documents`);
    return Number(row?.n ?? 0);
  }

  private async load(): Promise<LexemeFrequencies | undefined> {
    const [row] = await rawRows<{ elems: string[] | string | null; freqs: number[] | string | null; documents: number }>(
      this.db,
      sql`select s.most_common_elems::text::text[] as elems, s.most_common_elem_freqs as freqs, c.reltuples::float8 as documents
          from pg_stats s join pg_class c on c.oid = 'search.documents'::regclass
          where s.schemaname = 'search' and s.tablename = 'documents' and s.attname = 'tsv'`,
    );
    this.loadedAt = performance.now();
    const elems = row ? textArrayValue(row.elems) : [];
    const freqs = row ? textArrayValue(row.freqs).map(Number) : [];
    // most_common_elem_freqs ends with three extra numbers: the minimum and maximum share, and the share of null rows.
    if (!row || elems.length === 0 || freqs.length < elems.length + 2) {
      this.snapshot = undefined;
      return undefined;
    }
    const share = new Map(elems.map((e, i) => [e, freqs[i] ?? 0]));
    this.snapshot = { documents: Math.max(0, Number(row.documents)), share, floor: freqs[elems.length] ?? 0 };
    return this.snapshot;
  }
}

/** A Postgres array as a driver returns it: already parsed (postgres.js, PGlite for known types) or as text. */
function textArrayValue(value: string[] | number[] | string | null): string[] {
  if (value === null) return [];
  if (Array.isArray(value)) return value.map(String);
  const inner = value.replace(/^\{|\}$/g, '');
  if (inner === '') return [];
  const out: string[] = [];
  for (const match of inner.matchAll(/"((?:[^"\\]|\\.)*)"|([^,]+)/g)) out.push(match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : (match[2] ?? ''));
  return out;
}
