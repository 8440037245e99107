import type { Config } from '@memory-context/config';
import type { Database } from '@memory-context/db';
import { MemctxError } from '@memory-context/protocol';
import { ExactStore } from './exact-store.js';
import { PgvectorStore } from './pgvector-store.js';
import { QdrantStore } from './qdrant-store.js';
import type { VectorStore } from './store.js';

export type VectorsConfig = Pick<Config, 'vectorStore' | 'qdrantUrl' | 'qdrantApiKey' | 'qdrantCollection'>;

/**
 * The configured store: `qdrant` when MEMCTX_VECTOR_STORE=qdrant; `pgvector`
 * when asked for or, unset, when the database has the extension (PGlite
 * always does); otherwise `exact`. The store is not initialised: call
 * `init(modelId, dimensions)`.
 */
export async function createVectorStore(config: VectorsConfig, database: Database): Promise<VectorStore> {
  if (config.vectorStore === 'qdrant') {
    if (!config.qdrantUrl) throw new MemctxError('INTERNAL', 'MEMCTX_VECTOR_STORE=qdrant needs MEMCTX_QDRANT_URL (for example http://qdrant:6333).');
    return new QdrantStore({ url: config.qdrantUrl, apiKey: config.qdrantApiKey, collection: config.qdrantCollection });
  }
  const hasVector = await database.hasVector();
  if (config.vectorStore === 'pgvector') {
    if (!hasVector) {
      throw new MemctxError('INTERNAL', 'MEMCTX_VECTOR_STORE=pgvector, but this Postgres has no pgvector extension: install it, or unset MEMCTX_VECTOR_STORE to use the exact store.');
    }
    return new PgvectorStore(database);
  }
  return hasVector ? new PgvectorStore(database) : new ExactStore(database);
}
