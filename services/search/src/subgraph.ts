import { createEmbeddingProvider } from '@memory-context/embeddings';
import { createServiceServer, type RunningServer, type ServiceDeps } from '@memory-context/server-kit';
import { createVectorStore } from '@memory-context/vectors';
import { DocumentIndex } from './document-index.js';
import { Indexer } from './indexer.js';
import { searchResolvers } from './resolvers.js';
import { SearchEngine } from './search-engine.js';

export interface SearchSubgraph extends RunningServer {
  readonly indexer: Indexer;
  readonly engine: SearchEngine;
}

/** The search subgraph and its indexer (one process: the index follows the feeds where queries are served). */
export async function createSearchSubgraph(deps: ServiceDeps): Promise<SearchSubgraph> {
  const { config, database } = deps;
  const logger = deps.logger.child({ component: 'search' });
  const embeddings = await createEmbeddingProvider(config);
  const vectors = await createVectorStore(config, database);
  const documents = new DocumentIndex(database.db);
  const indexer = new Indexer({ database, documents, vectors, embeddings, batchSize: config.indexerBatchSize, pollIntervalMs: config.indexerPollMs, logger });
  await indexer.start();
  const engine = new SearchEngine(database.db, documents, vectors, embeddings);
  const server = await createServiceServer(deps, {
    name: 'search',
    logger,
    resolvers: searchResolvers(engine, indexer, documents, {
      model: embeddings.modelId,
      dimensions: embeddings.dimensions,
      vectorStore: vectors.name,
      vectors: () => vectors.count(),
    }),
  });
  return {
    ...server,
    indexer,
    engine,
    async close() {
      await indexer.stop();
      await server.close();
      await vectors.close();
    },
  };
}
