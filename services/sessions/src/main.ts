import { runSubgraphMain } from '@memory-context/server-kit';
import { createSessionsSubgraph } from './subgraph.js';

/** Runs the sessions subgraph on its own (production: one process per service). */
await runSubgraphMain('sessions', createSessionsSubgraph);
