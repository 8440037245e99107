import { sql } from 'drizzle-orm';
import { jsonbRecordset, rawRows, type Database } from '@memory-context/db';
import { MemctxError } from '@memory-context/protocol';
import { listFilter } from './filter.js';
import { checkVector, DDL_LOCK_KEY, lastPerId, META_DDL, notReady, parseVector, textArray, vectorLiteral, whereClause } from './sql.js';
import type { DocumentKind, VectorHit, VectorQuery, VectorRecord, VectorStore } from './store.js';
import { isUuid } from './uuid.js';

export interface PgvectorOptions {
  /** hnsw.ef_search for queries (raised to the limit when that is larger). Default 100. */
  efSearch?: number;
  /**
   * HNSW build parameters. Defaults: pgvector's m = 16, ef_construction = 64
   * on Postgres; m = 12, ef_construction = 40 on PGlite, where WebAssembly
   * makes every graph insert several times slower.
   */
  m?: number;
  efConstruction?: number;
  /**
   * The HNSW index is built (in bulk, several times faster than row by row)
   * once the table holds this many vectors; below it, queries scan exactly,
   * which is as fast at that size. Default 5000; 0 builds it at init.
   */
  hnswMinRows?: number;
}

const STORE = 'pgvector';
const DEFAULT_HNSW_MIN_ROWS = 5000;
const UPSERT_CHUNK = 200;
/** ANALYZE after this many writes, and at least half the table (PGlite has no autovacuum to do it; plans only need the right order of magnitude). */
const ANALYZE_MIN_WRITES = 500;

/**
 * Vectors in `search.vectors` (pgvector, HNSW with cosine ops) on PGlite or
 * on Postgres with the extension. The table, its indexes and
 * `search.vector_meta` are created by the store — adapter-managed DDL, not a
 * migration, so migrations still run on a Postgres without pgvector. The
 * HNSW index is built in bulk once the table reaches `hnswMinRows` (5000):
 * below that an exact scan is as fast, and a bulk build is several times
 * cheaper than inserting every early row into the graph.
 *
 * Queries run in a transaction with `SET LOCAL hnsw.ef_search` and, where
 * pgvector ≥ 0.8 offers it, `hnsw.iterative_scan = relaxed_order`, so a
 * filtered query keeps scanning the graph until it has `limit` matches. The
 * access rule and every filter sit in the WHERE clause.
 */
export class PgvectorStore implements VectorStore {
  readonly name = 'pgvector' as const;
  private dimensions: number | undefined;
  private modelId: string | undefined;
  private iterativeScan = false;
  private indexed = false;
  private writesSinceAnalyze = 0;
  private analysedRows = 0;
  /** Rows the table may hold (counted at init, plus every write since): the real count is asked only once this reaches hnswMinRows. */
  private rowsAtMost = 0;

  constructor(
    private readonly database: Database,
    private readonly options: PgvectorOptions = {},
  ) {}

  async init(modelId: string, dimensions: number): Promise<boolean> {
    if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > 2000) {
      throw new MemctxError('INTERNAL', `pgvector's HNSW index takes 1 to 2000 dimensions, not ${dimensions}.`);
    }
    return this.database.withAdvisoryLock(DDL_LOCK_KEY, async () => {
      const db = this.database.db;
      try {
        await db.execute(sql`create extension if not exists vector`);
      } catch (error) {
        throw new MemctxError(
          'INTERNAL',
          'Could not enable the pgvector extension ("create extension vector"): install pgvector on the server and grant the right to create it, or unset MEMCTX_VECTOR_STORE to use the exact store.',
          { store: STORE },
          { cause: error },
        );
      }
      const [ext] = await rawRows<{ version: string }>(db, sql`select extversion as version from pg_extension where extname = 'vector'`);
      this.iterativeScan = versionAtLeast(ext?.version ?? '0', [0, 8, 0]);
      await db.execute(sql`create schema if not exists search`);
      await db.execute(META_DDL);
      const [meta] = await rawRows<{ model_id: string; dimensions: number }>(db, sql`select model_id, dimensions from search.vector_meta where store = ${STORE}`);
      if (meta && (meta.model_id !== modelId || Number(meta.dimensions) !== dimensions)) {
        this.dimensions = undefined;
        this.modelId = undefined;
        return false;
      }
      if (!meta) {
        // No record of a model: a table left from before must be empty and of this size to be kept.
        const existing = await this.tableDimensions();
        if (existing !== undefined) {
          const [{ n } = { n: 0 }] = await rawRows<{ n: number }>(db, sql`select count(*)::int as n from search.vectors`);
          if (Number(n) > 0) return false;
          if (existing !== dimensions) await db.execute(sql`drop table search.vectors`);
        }
        await db.execute(
          sql`insert into search.vector_meta (store, model_id, dimensions, epoch) values (${STORE}, ${modelId}, ${dimensions}, ${crypto.randomUUID()}) on conflict (store) do nothing`,
        );
      }
      await db.execute(
        sql.raw(`create table if not exists search.vectors (
          id uuid primary key,
          kind text not null,
          submodule_id text not null,
          privacy_level text not null,
          tags text[] not null default '{}',
          created_at timestamptz not null,
          model_id text not null,
          embedding vector(${dimensions}) not null
        )`),
      );
      await db.execute(sql`create index if not exists vectors_submodule_privacy on search.vectors (submodule_id, privacy_level)`);
      await db.execute(sql`create index if not exists vectors_created_at on search.vectors (created_at)`);
      this.dimensions = dimensions;
      this.modelId = modelId;
      this.indexed = await this.hasHnswIndex();
      if (!this.indexed && (this.options.hnswMinRows ?? DEFAULT_HNSW_MIN_ROWS) === 0) await this.buildIndexLocked();
      this.rowsAtMost = this.indexed ? 0 : await this.count();
      const analysed = await this.analysedRowCount();
      // Never analysed (a table filled by a PGlite process): the planner would guess the filters' selectivity.
      if (analysed < 0 && (await this.count()) > 0) await this.analyse();
      else this.analysedRows = Math.max(0, analysed);
      return true;
    });
  }

  /**
   * Builds the HNSW index now if it does not exist (after a bulk load, for
   * example); otherwise it is built when the table reaches `hnswMinRows`.
   */
  async buildIndex(): Promise<void> {
    this.ready();
    if (this.indexed) return;
    await this.database.withAdvisoryLock(DDL_LOCK_KEY, () => this.buildIndexLocked());
  }

  private async buildIndexLocked(): Promise<void> {
    const pglite = this.database.kind === 'pglite';
    const m = this.options.m ?? (pglite ? 12 : 16);
    const ef = this.options.efConstruction ?? (pglite ? 40 : 64);
    await this.database.db.execute(
      sql.raw(`create index if not exists vectors_embedding_hnsw on search.vectors using hnsw (embedding vector_cosine_ops) with (m = ${m}, ef_construction = ${ef})`),
    );
    this.indexed = true;
  }

  private async hasHnswIndex(): Promise<boolean> {
    const [row] = await rawRows<{ t: string | null }>(this.database.db, sql`select to_regclass('search.vectors_embedding_hnsw')::text as t`);
    return Boolean(row?.t);
  }

  async upsert(records: readonly VectorRecord[]): Promise<void> {
    const { dimensions, modelId } = this.ready();
    const unique = lastPerId(records);
    for (const r of unique) {
      if (!isUuid(r.id)) throw new MemctxError('INTERNAL', `Vector ids are entity UUIDs; "${r.id}" is not one.`);
      checkVector(r.vector, dimensions, r.id);
    }
    for (let i = 0; i < unique.length; i += UPSERT_CHUNK) {
      // The rows as one jsonb parameter: a VALUES list costs a parameter per value to build and to bind.
      const records = jsonbRecordset(
        unique.slice(i, i + UPSERT_CHUNK).map((r) => ({
          id: r.id,
          kind: r.kind,
          submodule_id: r.submoduleId,
          privacy_level: r.privacyLevel,
          tags: r.tags,
          created_at: r.createdAt.toISOString(),
          embedding: vectorLiteral(r.vector),
        })),
        [
          ['id', 'uuid'],
          ['kind', 'text'],
          ['submodule_id', 'text'],
          ['privacy_level', 'text'],
          ['tags', 'text[]'],
          ['created_at', 'timestamptz'],
          ['embedding', 'vector'],
        ],
      );
      await this.database.db.execute(sql`
        insert into search.vectors (id, kind, submodule_id, privacy_level, tags, created_at, model_id, embedding)
        select r.id, r.kind, r.submodule_id, r.privacy_level, r.tags, r.created_at, ${modelId}, r.embedding
        from ${records}
        on conflict (id) do update set
          kind = excluded.kind, submodule_id = excluded.submodule_id, privacy_level = excluded.privacy_level,
          tags = excluded.tags, created_at = excluded.created_at, model_id = excluded.model_id, embedding = excluded.embedding`);
    }
    if (!this.indexed && unique.length > 0) {
      const minRows = this.options.hnswMinRows ?? DEFAULT_HNSW_MIN_ROWS;
      this.rowsAtMost += unique.length;
      if (this.rowsAtMost >= minRows) {
        this.rowsAtMost = await this.count();
        if ((await this.hasHnswIndex()) || this.rowsAtMost >= minRows) await this.buildIndex();
      }
    }
    this.writesSinceAnalyze += unique.length;
    if (this.writesSinceAnalyze >= Math.max(ANALYZE_MIN_WRITES, this.analysedRows / 2)) await this.analyse();
  }

  /**
   * Refreshes the planner's statistics of search.vectors. Without them it
   * guesses that the access filter keeps a few rows and sorts an exact scan
   * instead of walking the HNSW graph. Autovacuum does this on a server;
   * PGlite has none, so the store does it as the table grows.
   */
  private async analyse(): Promise<void> {
    this.writesSinceAnalyze = 0;
    // On PGlite the statement holds the thread: let waiting requests in first.
    await new Promise((resolve) => setImmediate(resolve));
    await this.database.db.execute(sql`analyze search.vectors`);
    this.analysedRows = Math.max(0, await this.analysedRowCount());
  }

  /** Rows at the last ANALYZE; -1 if the table was never analysed. */
  private async analysedRowCount(): Promise<number> {
    const [row] = await rawRows<{ n: number }>(this.database.db, sql`select reltuples::float8 as n from pg_class where oid = 'search.vectors'::regclass`);
    return Number(row?.n ?? -1);
  }

  async delete(ids: readonly string[]): Promise<void> {
    this.ready();
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return;
    await this.database.db.execute(sql`delete from search.vectors where id = any(${textArray(valid)}::uuid[])`);
  }

  async search(vector: Float32Array, q: VectorQuery, limit: number): Promise<VectorHit[]> {
    const { dimensions } = this.ready();
    checkVector(vector, dimensions, 'the query');
    if (limit <= 0) return [];
    const safe: VectorQuery = { ...q, excludeIds: listFilter(q.excludeIds)?.filter(isUuid) };
    const literal = vectorLiteral(vector);
    const ef = Math.min(1000, Math.max(this.options.efSearch ?? 100, limit));
    const statement = sql`select id::text as id, kind, (embedding <=> ${literal}::vector)::float8 as distance
            from search.vectors
            where ${whereClause(safe)}
            order by embedding <=> ${literal}::vector
            limit ${limit}`;
    let rows = await this.database.db.transaction(async (tx) => {
      await tx.execute(sql.raw(`set local hnsw.ef_search = ${ef}`));
      if (this.iterativeScan) await tx.execute(sql.raw(`set local hnsw.iterative_scan = relaxed_order`));
      return rawRows<{ id: string; kind: DocumentKind; distance: number }>(tx, statement);
    });
    if (rows.length < limit && this.indexed) {
      // The graph scan can stop short of `limit` under a very selective filter
      // (hnsw.max_scan_tuples, or no iterative scan before pgvector 0.8). Then
      // fewer rows match than the graph walk could reach: an exact scan of
      // just those rows is cheap and complete.
      rows = await this.database.db.transaction(async (tx) => {
        await tx.execute(sql.raw(`set local enable_indexscan = off`));
        return rawRows<{ id: string; kind: DocumentKind; distance: number }>(tx, statement);
      });
    }
    // relaxed_order may return neighbours slightly out of order
    return rows.map((r) => ({ id: r.id, kind: r.kind, score: 1 - Number(r.distance) })).sort((a, b) => b.score - a.score);
  }

  async vectorOf(id: string): Promise<Float32Array | undefined> {
    this.ready();
    if (!isUuid(id)) return undefined;
    const [row] = await rawRows<{ embedding: string }>(this.database.db, sql`select embedding::text as embedding from search.vectors where id = ${id}::uuid`);
    return row ? parseVector(row.embedding) : undefined;
  }

  async vectorsOf(ids: readonly string[]): Promise<Map<string, Float32Array>> {
    this.ready();
    const wanted = [...new Set(ids.filter(isUuid))];
    if (wanted.length === 0) return new Map();
    const rows = await rawRows<{ id: string; embedding: string }>(
      this.database.db,
      sql`select id::text as id, embedding::text as embedding from search.vectors where id = any(${textArray(wanted)}::uuid[])`,
    );
    return new Map(rows.map((r) => [r.id, parseVector(r.embedding)]));
  }

  async count(): Promise<number> {
    if ((await this.tableDimensions()) === undefined) return 0;
    const [row] = await rawRows<{ n: number }>(this.database.db, sql`select count(*)::int as n from search.vectors`);
    return Number(row?.n ?? 0);
  }

  async clear(): Promise<void> {
    await this.database.withAdvisoryLock(DDL_LOCK_KEY, async () => {
      await this.database.db.execute(sql`drop table if exists search.vectors`);
      const [meta] = await rawRows<{ t: string | null }>(this.database.db, sql`select to_regclass('search.vector_meta')::text as t`);
      if (meta?.t) await this.database.db.execute(sql`delete from search.vector_meta where store = ${STORE}`);
    });
    this.dimensions = undefined;
    this.modelId = undefined;
    this.indexed = false;
    this.writesSinceAnalyze = 0;
    this.analysedRows = 0;
    this.rowsAtMost = 0;
  }

  async close(): Promise<void> {
    this.dimensions = undefined;
    this.modelId = undefined;
  }

  private ready(): { dimensions: number; modelId: string } {
    if (this.dimensions === undefined || this.modelId === undefined) {
      throw notReady(STORE, 'call init(modelId, dimensions) first; after init returned false, clear() and init again, then reindex.');
    }
    return { dimensions: this.dimensions, modelId: this.modelId };
  }

  /** The declared size of search.vectors' embedding column, if the table exists. */
  private async tableDimensions(): Promise<number | undefined> {
    const [row] = await rawRows<{ dims: number | null }>(
      this.database.db,
      sql`select a.atttypmod as dims from pg_attribute a
          where a.attrelid = to_regclass('search.vectors') and a.attname = 'embedding' and not a.attisdropped`,
    );
    return row?.dims == null ? undefined : Number(row.dims);
  }
}

function versionAtLeast(version: string, wanted: [number, number, number]): boolean {
  const parts = version.split('.').map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < 3; i++) {
    const have = parts[i] ?? 0;
    if (have !== wanted[i]) return have > wanted[i]!;
  }
  return true;
}
