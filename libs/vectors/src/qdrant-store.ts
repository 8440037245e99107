import { QdrantClient } from '@qdrant/js-client-rest';
import { readScope, type ReadScope } from '@memory-context/access';
import { MemctxError } from '@memory-context/protocol';
import { listFilter } from './filter.js';
import { checkVector, lastPerId, notReady } from './sql.js';
import type { DocumentKind, VectorHit, VectorQuery, VectorRecord, VectorStore } from './store.js';
import { isUuid } from './uuid.js';

export interface QdrantOptions {
  url: string;
  apiKey?: string | undefined;
  collection: string;
  /** Request timeout (ms). Default 30 s. */
  timeoutMs?: number;
  /** hnsw_ef of queries. Default 128. */
  efSearch?: number;
  /** For tests: an existing client. */
  client?: QdrantClient;
}

/**
 * A reserved point holding the model id and size the collection was made
 * for (Qdrant has no collection metadata in the client this project pins).
 * Every query and count leaves it out.
 */
export const META_POINT_ID = '00000000-0000-0000-0000-000000000000';

type Condition = Record<string, unknown>;
interface Filter {
  must?: Condition[];
  should?: Condition[];
  must_not?: Condition[];
}

const UPSERT_CHUNK = 256;

/**
 * Vectors in one Qdrant collection (cosine distance) for every submodule:
 * payload index on `submodule_id` marked `is_tenant`, keyword indexes on
 * kind, privacy_level and tags, a datetime index on created_at. The access
 * rule is part of the query filter (`must` holds the actor's read scope as a
 * nested `should`), so a forbidden point is never a candidate.
 */
export class QdrantStore implements VectorStore {
  readonly name = 'qdrant' as const;
  private readonly client: QdrantClient;
  private readonly collection: string;
  private dimensions: number | undefined;
  private modelId: string | undefined;

  constructor(private readonly options: QdrantOptions) {
    this.collection = options.collection;
    this.client =
      options.client ??
      new QdrantClient({
        url: options.url,
        ...(options.apiKey ? { apiKey: options.apiKey } : {}),
        timeout: options.timeoutMs ?? 30_000,
        checkCompatibility: false,
      });
  }

  async init(modelId: string, dimensions: number): Promise<boolean> {
    const exists = await this.call('check the collection', () => this.client.collectionExists(this.collection));
    if (exists.exists) {
      const info = await this.call('read the collection', () => this.client.getCollection(this.collection));
      const size = vectorSize(info.config?.params?.vectors);
      const [meta] = await this.call('read the model record', () => this.client.retrieve(this.collection, { ids: [META_POINT_ID], with_payload: true }));
      const storedModel = meta?.payload?.model_id;
      if (size !== dimensions || (storedModel !== undefined && storedModel !== modelId)) {
        this.dimensions = undefined;
        this.modelId = undefined;
        return false;
      }
      if (storedModel === undefined) {
        const { count } = await this.call('count points', () => this.client.count(this.collection, { exact: true }));
        if (count > 0) return false; // vectors of an unknown model
      }
    } else {
      await this.call('create the collection', () =>
        this.client.createCollection(this.collection, { vectors: { size: dimensions, distance: 'Cosine' } }),
      );
    }
    await this.ensureIndexes();
    await this.call('write the model record', () =>
      this.client.upsert(this.collection, {
        wait: true,
        points: [{ id: META_POINT_ID, vector: unitVector(dimensions), payload: { model_id: modelId, dimensions, meta: true } }],
      }),
    );
    this.dimensions = dimensions;
    this.modelId = modelId;
    return true;
  }

  async upsert(records: readonly VectorRecord[]): Promise<void> {
    const { dimensions } = this.ready();
    const unique = lastPerId(records);
    for (const r of unique) {
      if (!isUuid(r.id) || r.id === META_POINT_ID) throw new MemctxError('INTERNAL', `Vector ids are entity UUIDs; "${r.id}" is not one.`);
      checkVector(r.vector, dimensions, r.id);
    }
    for (let i = 0; i < unique.length; i += UPSERT_CHUNK) {
      const points = unique.slice(i, i + UPSERT_CHUNK).map((r) => ({
        id: r.id,
        vector: Array.from(r.vector),
        payload: {
          kind: r.kind,
          submodule_id: r.submoduleId,
          privacy_level: r.privacyLevel,
          tags: [...r.tags],
          created_at: r.createdAt.toISOString(),
        },
      }));
      await this.call('upsert points', () => this.client.upsert(this.collection, { wait: true, points }));
    }
  }

  async delete(ids: readonly string[]): Promise<void> {
    this.ready();
    const valid = ids.filter((id) => isUuid(id) && id !== META_POINT_ID);
    if (valid.length === 0) return;
    await this.call('delete points', () => this.client.delete(this.collection, { wait: true, points: valid }));
  }

  async search(vector: Float32Array, q: VectorQuery, limit: number): Promise<VectorHit[]> {
    const { dimensions } = this.ready();
    checkVector(vector, dimensions, 'the query');
    if (limit <= 0) return [];
    const result = await this.call('query points', () =>
      this.client.query(this.collection, {
        query: Array.from(vector),
        filter: qdrantFilter(q),
        limit,
        with_payload: ['kind'],
        params: { hnsw_ef: Math.max(this.options.efSearch ?? 128, limit) },
      }),
    );
    return result.points.map((p) => ({ id: String(p.id), kind: (p.payload?.kind ?? 'SESSION') as DocumentKind, score: p.score }));
  }

  async vectorOf(id: string): Promise<Float32Array | undefined> {
    this.ready();
    if (!isUuid(id) || id === META_POINT_ID) return undefined;
    const [point] = await this.call('retrieve a point', () => this.client.retrieve(this.collection, { ids: [id], with_vector: true, with_payload: false }));
    const v = point?.vector;
    return Array.isArray(v) && v.every((x) => typeof x === 'number') ? Float32Array.from(v as number[]) : undefined;
  }

  async vectorsOf(ids: readonly string[]): Promise<Map<string, Float32Array>> {
    this.ready();
    const wanted = [...new Set(ids.filter((id) => isUuid(id) && id !== META_POINT_ID))];
    if (wanted.length === 0) return new Map();
    const points = await this.call('retrieve points', () => this.client.retrieve(this.collection, { ids: wanted, with_vector: true, with_payload: false }));
    const found = new Map<string, Float32Array>();
    for (const point of points) {
      const v = point.vector;
      if (Array.isArray(v) && v.every((x) => typeof x === 'number')) found.set(String(point.id), Float32Array.from(v as number[]));
    }
    return found;
  }

  async count(): Promise<number> {
    const exists = await this.call('check the collection', () => this.client.collectionExists(this.collection));
    if (!exists.exists) return 0;
    const { count } = await this.call('count points', () =>
      this.client.count(this.collection, { exact: true, filter: { must_not: [{ has_id: [META_POINT_ID] }] } }),
    );
    return count;
  }

  async clear(): Promise<void> {
    const exists = await this.call('check the collection', () => this.client.collectionExists(this.collection));
    if (exists.exists) await this.call('delete the collection', () => this.client.deleteCollection(this.collection));
    this.dimensions = undefined;
    this.modelId = undefined;
  }

  async close(): Promise<void> {
    this.dimensions = undefined;
    this.modelId = undefined;
  }

  private async ensureIndexes(): Promise<void> {
    const indexes: Array<{ field_name: string; field_schema: Record<string, unknown> | string }> = [
      { field_name: 'submodule_id', field_schema: { type: 'keyword', is_tenant: true } },
      { field_name: 'kind', field_schema: 'keyword' },
      { field_name: 'privacy_level', field_schema: 'keyword' },
      { field_name: 'tags', field_schema: 'keyword' },
      { field_name: 'created_at', field_schema: 'datetime' },
    ];
    for (const index of indexes) {
      await this.call(`index ${index.field_name}`, () =>
        this.client.createPayloadIndex(this.collection, { wait: true, field_name: index.field_name, field_schema: index.field_schema as never }),
      );
    }
  }

  private ready(): { dimensions: number; modelId: string } {
    if (this.dimensions === undefined || this.modelId === undefined) {
      throw notReady('qdrant', 'call init(modelId, dimensions) first; after init returned false, clear() and init again, then reindex.');
    }
    return { dimensions: this.dimensions, modelId: this.modelId };
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      const status = (error as { status?: number }).status;
      const data = (error as { data?: { status?: { error?: string } } }).data;
      const reason = data?.status?.error ?? (error instanceof Error ? error.message : String(error));
      const auth = status === 401 || status === 403;
      throw new MemctxError(
        'INTERNAL',
        `Qdrant at ${this.options.url} could not ${what} in collection "${this.collection}"${status ? ` (HTTP ${status})` : ''}: ${reason}${auth ? '. Check MEMCTX_QDRANT_API_KEY.' : ''}`,
        { store: 'qdrant', status },
        { cause: error },
      );
    }
  }
}

/** The query's access rule and filters as a Qdrant filter. */
export function qdrantFilter(q: VectorQuery): Filter {
  const must: Condition[] = [];
  const readable = readCondition(readScope(q.actor));
  if (readable) must.push(readable);
  const kinds = listFilter(q.kinds);
  if (kinds) must.push({ key: 'kind', match: { any: [...kinds] } });
  const submodules = listFilter(q.submodules);
  if (submodules) must.push({ key: 'submodule_id', match: { any: [...submodules] } });
  const levels = listFilter(q.privacyLevels);
  if (levels) must.push({ key: 'privacy_level', match: { any: [...levels] } });
  for (const tag of listFilter(q.tags) ?? []) must.push({ key: 'tags', match: { value: tag } });
  if (q.from || q.to) {
    must.push({ key: 'created_at', range: { ...(q.from ? { gte: q.from.toISOString() } : {}), ...(q.to ? { lt: q.to.toISOString() } : {}) } });
  }
  const excluded = (listFilter(q.excludeIds) ?? []).filter(isUuid);
  return { must, must_not: [{ has_id: [META_POINT_ID, ...excluded] }] };
}

/** A read scope (@memory-context/access) as a Qdrant condition; none when it covers everything. */
export function readCondition(scope: ReadScope): Condition | undefined {
  if (scope.everything) return undefined;
  return {
    should: [
      { key: 'privacy_level', match: { any: [...scope.sharedLevels] } },
      { key: 'submodule_id', match: { value: scope.ownSubmodule } },
    ],
  };
}

function vectorSize(vectors: unknown): number | undefined {
  if (vectors && typeof vectors === 'object' && 'size' in vectors && typeof (vectors as { size: unknown }).size === 'number') return (vectors as { size: number }).size;
  return undefined;
}

function unitVector(dimensions: number): number[] {
  const v = new Array<number>(dimensions).fill(0);
  v[0] = 1;
  return v;
}
