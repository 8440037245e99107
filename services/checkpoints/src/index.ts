export { createCheckpointsSubgraph, type CheckpointsSubgraph } from './subgraph.js';
export { CheckpointStore, CHECKPOINTS_NOTIFY_CHANNEL, type CheckpointRow, type CheckpointFilter } from './checkpoint-store.js';
export { describeSessions, AUTO_SESSION_LIMIT } from './auto-summary.js';
