import { runSubgraphMain } from '@memory-context/server-kit';
import { createSearchSubgraph } from './subgraph.js';

/** Runs the search subgraph and its indexer on its own (production: one process per service). */
await runSubgraphMain('search', createSearchSubgraph);
