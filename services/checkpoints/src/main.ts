import { runSubgraphMain } from '@memory-context/server-kit';
import { createCheckpointsSubgraph } from './subgraph.js';

/** Runs the checkpoints subgraph on its own (production: one process per service). */
await runSubgraphMain('checkpoints', createCheckpointsSubgraph);
