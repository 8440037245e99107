export type { DocumentKind, VectorHit, VectorQuery, VectorRecord, VectorStore } from './store.js';
export { createVectorStore, type VectorsConfig } from './create.js';
export { PgvectorStore, type PgvectorOptions } from './pgvector-store.js';
export { ExactStore } from './exact-store.js';
export { QdrantStore, qdrantFilter, META_POINT_ID, type QdrantOptions } from './qdrant-store.js';
export { MemoryIndex } from './memory-index.js';
export { matchesQuery, type VectorMeta } from './filter.js';
