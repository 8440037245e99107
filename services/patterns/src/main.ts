import { runSubgraphMain } from '@memory-context/server-kit';
import { createPatternsSubgraph } from './subgraph.js';

/** Runs the patterns subgraph on its own (production: one process per service). */
await runSubgraphMain('patterns', createPatternsSubgraph);
