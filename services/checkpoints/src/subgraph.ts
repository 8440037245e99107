import { checkpointArchive, checkpointChanges, checkpointMutations } from '@memory-context/db';
import { createEntitySubgraph, type EntitySubgraph, type ServiceDeps } from '@memory-context/server-kit';
import { checkpointResolvers } from './resolvers.js';
import { CheckpointStore } from './checkpoint-store.js';

export interface CheckpointsSubgraph extends EntitySubgraph {
  readonly store: CheckpointStore;
}

/** The checkpoints subgraph: immutable Checkpoint snapshots, their links to sessions, change feed and deletion. */
export async function createCheckpointsSubgraph(deps: ServiceDeps): Promise<CheckpointsSubgraph> {
  const { config, database } = deps;
  const limits = { maxContentBytes: config.maxContentBytes, retentionSeconds: config.gdprRetentionSeconds };
  const store = new CheckpointStore(database.db, deps.redactor, limits);
  const logger = deps.logger.child({ component: 'checkpoints' });
  const subgraph = await createEntitySubgraph({
    name: 'checkpoints',
    deps,
    logger,
    resolvers: checkpointResolvers(database.db, store, { maxWriteBatch: config.maxWriteBatch }),
    tables: { archive: checkpointArchive, mutations: checkpointMutations, changes: checkpointChanges },
    // GDPR: a deleted session leaves every checkpoint's links and digest at once (the checkpoints stay).
    onSessionsDeleted: async (tx, sessionIds) => {
      const removed = await store.unlinkSessions(tx, sessionIds);
      if (removed.links > 0) logger.info({ sessions: sessionIds.length, ...removed }, 'unlinked deleted sessions from checkpoints');
    },
  });
  return { ...subgraph, store };
}
