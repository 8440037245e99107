import { loadConfig } from '@memory-context/config';
import { createEmbeddingProvider } from '@memory-context/embeddings';
import { createServiceDeps } from '@memory-context/server-kit';
import { createVectorStore } from '@memory-context/vectors';
import { DocumentIndex } from './document-index.js';
import { Indexer } from './indexer.js';

/** `npm run reindex`: rebuilds the search index from the live entities. */
const config = loadConfig();
const deps = await createServiceDeps(config, { service: 'search-reindex' });
const embeddings = await createEmbeddingProvider(config);
const vectors = await createVectorStore(config, deps.database);
const indexer = new Indexer({
  database: deps.database,
  documents: new DocumentIndex(deps.database.db),
  vectors,
  embeddings,
  batchSize: config.indexerBatchSize,
  pollIntervalMs: config.indexerPollMs,
  logger: deps.logger,
});
const started = Date.now();
const total = await indexer.reindex((done) => process.stderr.write(`\rindexed ${done} documents`));
process.stderr.write('\n');
process.stdout.write(`Reindexed ${total} documents with ${embeddings.modelId} into ${vectors.name} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
await vectors.close();
await deps.close();
