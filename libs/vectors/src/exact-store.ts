import { sql } from 'drizzle-orm';
import { rawRows, type Database, type DbOrTx } from '@memory-context/db';
import { MemctxError } from '@memory-context/protocol';
import { MemoryIndex } from './memory-index.js';
import { checkVector, DDL_LOCK_KEY, lastPerId, META_DDL, notReady, textArray } from './sql.js';
import type { DocumentKind, VectorHit, VectorQuery, VectorRecord, VectorStore } from './store.js';
import { isUuid } from './uuid.js';

const STORE = 'exact';
const UPSERT_CHUNK = 200;
const LOAD_PAGE = 5000;

interface Row {
  id: string;
  kind: DocumentKind;
  submodule_id: string;
  privacy_level: string;
  tags: string[];
  created_ms: number;
  embedding: Uint8Array | null;
  deleted: boolean;
}

/**
 * For a Postgres without pgvector: vectors kept in `search.vectors_exact`
 * (float32 little-endian in a bytea) and mirrored in memory, where queries
 * scan them exactly (access rules and filters before any arithmetic).
 *
 * Keeping processes in step: every write bumps
 * `search.vector_meta.generation` (row-locked, so writers serialise and
 * generations commit in order) and stamps its rows with it; a delete leaves
 * a tombstone row (id, generation) instead of removing it. Before each
 * search, vectorOf and count, the store reads the generation (one indexed
 * query) and, when another process wrote, fetches just the rows stamped
 * after the last one it saw. `clear()` changes the meta row's epoch, which
 * makes every other process reload from scratch.
 */
export class ExactStore implements VectorStore {
  readonly name = 'exact' as const;
  private index: MemoryIndex | undefined;
  private modelId: string | undefined;
  private epoch: string | undefined;
  private generation = 0;

  constructor(private readonly database: Database) {}

  async init(modelId: string, dimensions: number): Promise<boolean> {
    if (!Number.isInteger(dimensions) || dimensions < 1) throw new MemctxError('INTERNAL', `Invalid vector size ${dimensions}.`);
    const db = this.database.db;
    const ok = await this.database.withAdvisoryLock(DDL_LOCK_KEY, async () => {
      await db.execute(sql`create schema if not exists search`);
      await db.execute(META_DDL);
      await db.execute(sql`create table if not exists search.vectors_exact (
        id uuid primary key,
        kind text not null,
        submodule_id text not null,
        privacy_level text not null,
        tags text[] not null default '{}',
        created_at timestamptz not null,
        model_id text not null,
        embedding bytea,
        generation bigint not null,
        deleted boolean not null default false
      )`);
      await db.execute(sql`create index if not exists vectors_exact_generation on search.vectors_exact (generation, id)`);
      const [meta] = await rawRows<{ model_id: string; dimensions: number }>(db, sql`select model_id, dimensions from search.vector_meta where store = ${STORE}`);
      if (meta) return meta.model_id === modelId && Number(meta.dimensions) === dimensions;
      const [{ n } = { n: 0 }] = await rawRows<{ n: number }>(db, sql`select count(*)::int as n from search.vectors_exact where not deleted`);
      if (Number(n) > 0) return false; // vectors of an unknown model
      await db.execute(sql`delete from search.vectors_exact`);
      await db.execute(sql`insert into search.vector_meta (store, model_id, dimensions, epoch) values (${STORE}, ${modelId}, ${dimensions}, ${crypto.randomUUID()})`);
      return true;
    });
    if (!ok) {
      this.reset();
      return false;
    }
    this.modelId = modelId;
    this.index = new MemoryIndex(dimensions);
    this.epoch = undefined;
    await this.refresh();
    return true;
  }

  async upsert(records: readonly VectorRecord[]): Promise<void> {
    const index = this.ready();
    const unique = lastPerId(records);
    for (const r of unique) {
      if (!isUuid(r.id)) throw new MemctxError('INTERNAL', `Vector ids are entity UUIDs; "${r.id}" is not one.`);
      checkVector(r.vector, index.dimensions, r.id);
    }
    if (unique.length === 0) return;
    const modelId = this.modelId!;
    await this.write(async (tx, generation) => {
      for (let i = 0; i < unique.length; i += UPSERT_CHUNK) {
        const rows = unique.slice(i, i + UPSERT_CHUNK).map(
          (r) =>
            sql`(${r.id}::uuid, ${r.kind}, ${r.submoduleId}, ${r.privacyLevel}, ${textArray(r.tags)}::text[], ${r.createdAt.toISOString()}::timestamptz, ${modelId}, ${toBytes(r.vector)}::bytea, ${generation}, false)`,
        );
        await tx.execute(sql`
          insert into search.vectors_exact (id, kind, submodule_id, privacy_level, tags, created_at, model_id, embedding, generation, deleted)
          values ${sql.join(rows, sql`, `)}
          on conflict (id) do update set
            kind = excluded.kind, submodule_id = excluded.submodule_id, privacy_level = excluded.privacy_level, tags = excluded.tags,
            created_at = excluded.created_at, model_id = excluded.model_id, embedding = excluded.embedding,
            generation = excluded.generation, deleted = false`);
      }
    });
    for (const r of unique) index.upsert({ ...r, tags: [...r.tags] }, r.vector);
  }

  async delete(ids: readonly string[]): Promise<void> {
    const index = this.ready();
    const valid = [...new Set(ids.filter(isUuid))];
    if (valid.length === 0) return;
    await this.write(async (tx, generation) => {
      await tx.execute(
        sql`update search.vectors_exact set deleted = true, embedding = null, tags = '{}', generation = ${generation} where id = any(${textArray(valid)}::uuid[]) and not deleted`,
      );
    });
    for (const id of valid) index.remove(id);
  }

  async search(vector: Float32Array, q: VectorQuery, limit: number): Promise<VectorHit[]> {
    const index = this.ready();
    checkVector(vector, index.dimensions, 'the query');
    await this.refresh();
    return this.index?.search(vector, q, limit) ?? [];
  }

  async vectorOf(id: string): Promise<Float32Array | undefined> {
    this.ready();
    await this.refresh();
    return this.index?.vectorOf(id);
  }

  async vectorsOf(ids: readonly string[]): Promise<Map<string, Float32Array>> {
    this.ready();
    await this.refresh();
    const found = new Map<string, Float32Array>();
    for (const id of ids) {
      const v = this.index?.vectorOf(id);
      if (v) found.set(id, v);
    }
    return found;
  }

  async count(): Promise<number> {
    if (!this.index) {
      const [t] = await rawRows<{ t: string | null }>(this.database.db, sql`select to_regclass('search.vectors_exact')::text as t`);
      if (!t?.t) return 0;
      const [row] = await rawRows<{ n: number }>(this.database.db, sql`select count(*)::int as n from search.vectors_exact where not deleted`);
      return Number(row?.n ?? 0);
    }
    await this.refresh();
    return this.index?.count ?? 0;
  }

  async clear(): Promise<void> {
    await this.database.withAdvisoryLock(DDL_LOCK_KEY, async () => {
      const db = this.database.db;
      const [t] = await rawRows<{ t: string | null }>(db, sql`select to_regclass('search.vectors_exact')::text as t`);
      if (t?.t) await db.execute(sql`delete from search.vectors_exact`);
      const [m] = await rawRows<{ t: string | null }>(db, sql`select to_regclass('search.vector_meta')::text as t`);
      if (m?.t) await db.execute(sql`delete from search.vector_meta where store = ${STORE}`);
    });
    this.reset();
  }

  async close(): Promise<void> {
    this.reset();
  }

  private reset(): void {
    this.index = undefined;
    this.modelId = undefined;
    this.epoch = undefined;
    this.generation = 0;
  }

  private ready(): MemoryIndex {
    if (!this.index) throw notReady(STORE, 'call init(modelId, dimensions) first; after init returned false, clear() and init again, then reindex.');
    return this.index;
  }

  /**
   * Runs a write in a transaction that first takes the next generation
   * (locking the meta row). When no other process wrote since the last
   * refresh, this process's memory stays current without re-reading.
   */
  private async write(fn: (tx: DbOrTx, generation: number) => Promise<void>): Promise<void> {
    const bumped = await this.database.db.transaction(async (tx) => {
      const [row] = await rawRows<{ generation: number; epoch: string; model_id: string }>(
        tx,
        sql`update search.vector_meta set generation = generation + 1, updated_at = now() where store = ${STORE}
            returning generation::float8 as generation, epoch, model_id`,
      );
      if (!row || row.model_id !== this.modelId) throw notReady(STORE, 'the store was cleared or re-initialised by another process; init again.');
      await fn(tx, Number(row.generation));
      return { generation: Number(row.generation), epoch: row.epoch };
    });
    if (bumped.epoch === this.epoch && bumped.generation === this.generation + 1) this.generation = bumped.generation;
    // otherwise the next refresh catches up (our own rows are re-read, harmlessly)
  }

  /** Brings memory up to the database: nothing, the rows written since the last look, or everything. */
  private async refresh(): Promise<void> {
    const index = this.index;
    if (!index) return;
    const db = this.database.db;
    const [meta] = await rawRows<{ generation: number; epoch: string; model_id: string; dimensions: number }>(
      db,
      sql`select generation::float8 as generation, epoch, model_id, dimensions from search.vector_meta where store = ${STORE}`,
    );
    if (!meta || meta.model_id !== this.modelId || Number(meta.dimensions) !== index.dimensions) {
      // cleared, or another model now: nothing here is valid any more
      index.clear();
      this.generation = 0;
      this.epoch = undefined;
      return;
    }
    const generation = Number(meta.generation);
    if (meta.epoch === this.epoch && generation === this.generation) return;
    const full = meta.epoch !== this.epoch;
    if (full) index.clear();
    // keyset pages over (generation, id), from the last generation seen up to the current one
    let cursor = { generation: full ? 0 : this.generation, id: 'ffffffff-ffff-ffff-ffff-ffffffffffff' };
    for (;;) {
      const rows = await rawRows<Row & { generation: number }>(
        db,
        sql`select id::text as id, kind, submodule_id, privacy_level, tags, (extract(epoch from created_at) * 1000)::float8 as created_ms,
                   embedding, deleted, generation::float8 as generation
            from search.vectors_exact
            where (generation, id) > (${cursor.generation}, ${cursor.id}::uuid) and generation <= ${generation}
              ${full ? sql`and not deleted` : sql``}
            order by generation, id
            limit ${LOAD_PAGE}`,
      );
      for (const r of rows) {
        if (r.deleted || !r.embedding) index.remove(r.id);
        else index.upsert({ id: r.id, kind: r.kind, submoduleId: r.submodule_id, privacyLevel: r.privacy_level, tags: r.tags, createdAt: new Date(Number(r.created_ms)) }, fromBytes(r.embedding, index.dimensions));
      }
      if (rows.length < LOAD_PAGE) break;
      const last = rows[rows.length - 1]!;
      cursor = { generation: Number(last.generation), id: last.id };
    }
    this.generation = generation;
    this.epoch = meta.epoch;
  }
}

/** float32 little-endian bytes of a vector. */
function toBytes(v: Float32Array): Uint8Array {
  const out = new Uint8Array(v.length * 4);
  const view = new DataView(out.buffer);
  for (let k = 0; k < v.length; k++) view.setFloat32(k * 4, v[k]!, true);
  return out;
}

function fromBytes(bytes: Uint8Array, dimensions: number): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Math.min(dimensions, Math.floor(bytes.byteLength / 4));
  const out = new Float32Array(dimensions);
  for (let k = 0; k < n; k++) out[k] = view.getFloat32(k * 4, true);
  return out;
}
