import type { Actor } from '@memory-context/db';

export type DocumentKind = 'SESSION' | 'PATTERN' | 'CHECKPOINT';

/** One entity's vector and the fields access rules and filters need. */
export interface VectorRecord {
  /** The entity id (sessions, patterns and checkpoints have distinct UUIDs). */
  id: string;
  kind: DocumentKind;
  submoduleId: string;
  privacyLevel: 'PUBLIC' | 'TEAM' | 'PRIVATE';
  tags: string[];
  createdAt: Date;
  vector: Float32Array;
}

export interface VectorQuery {
  /** Access rules apply inside the query: a document the actor may not read is never a candidate. */
  actor: Actor;
  kinds?: DocumentKind[] | undefined;
  submodules?: string[] | undefined;
  privacyLevels?: string[] | undefined;
  /** Documents carrying all of these tags. */
  tags?: string[] | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** Leave these ids out (for "related to X"). */
  excludeIds?: string[] | undefined;
}

export interface VectorHit {
  id: string;
  kind: DocumentKind;
  /** Cosine similarity, higher is nearer. */
  score: number;
}

/**
 * Where vectors live. Implementations: `pgvector` (HNSW), `qdrant`, and
 * `exact` (vectors kept in Postgres, scanned exactly — for a database without
 * pgvector). One shared contract test suite covers all of them.
 */
export interface VectorStore {
  readonly name: 'pgvector' | 'qdrant' | 'exact';
  /**
   * Prepares storage for vectors of this model. Returns false when the store
   * holds vectors of another model or size: the caller must `clear()` and reindex.
   */
  init(modelId: string, dimensions: number): Promise<boolean>;
  upsert(records: readonly VectorRecord[]): Promise<void>;
  delete(ids: readonly string[]): Promise<void>;
  search(vector: Float32Array, query: VectorQuery, limit: number): Promise<VectorHit[]>;
  /** The stored vector of one entity, if any (for "related to X"). */
  vectorOf(id: string): Promise<Float32Array | undefined>;
  /** The stored vectors of these entities, in one round trip (search scores the other ranking's candidates). */
  vectorsOf(ids: readonly string[]): Promise<Map<string, Float32Array>>;
  count(): Promise<number>;
  /** Removes every vector (reindex, model change). */
  clear(): Promise<void>;
  close(): Promise<void>;
}
