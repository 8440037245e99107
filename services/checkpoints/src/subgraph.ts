import { checkpointArchive, checkpointMutations, FEED_CHANNELS, sessionChanges, startFeedFollower } from '@memory-context/db';
import { createSubgraphServer, loadSchemaFile, startMaintenance, type RunningServer, type ServiceDeps } from '@memory-context/server-kit';
import { checkpointResolvers } from './resolvers.js';
import { CheckpointStore } from './checkpoint-store.js';

export interface CheckpointsSubgraph extends RunningServer {
  readonly store: CheckpointStore;
  /** Purges archives past retention and expired idempotency keys now (also runs on an interval). */
  runMaintenance(): Promise<{ purged: string[]; expiredKeys: number }>;
  /**
   * Applies every sessions-feed change available now: links to deleted
   * sessions are removed (the checkpoints stay). Resolves with how many
   * changes it read. Also runs on its own (poll, woken by NOTIFY).
   */
  catchUp(): Promise<number>;
}

/** The checkpoints subgraph: immutable Checkpoint snapshots, their links to sessions, change feed and deletion. */
export async function createCheckpointsSubgraph(deps: ServiceDeps): Promise<CheckpointsSubgraph> {
  const { config, database } = deps;
  const limits = { maxContentBytes: config.maxContentBytes, retentionSeconds: config.gdprRetentionSeconds };
  const store = new CheckpointStore(database.db, deps.redactor, limits);
  const logger = deps.logger.child({ component: 'checkpoints' });
  const server = await createSubgraphServer({
    name: 'checkpoints',
    typeDefs: loadSchemaFile('checkpoints'),
    resolvers: checkpointResolvers(database.db, store),
    database,
    verifier: deps.verifier,
    audit: deps.audit,
    logger,
    production: deps.production,
    bodyLimit: config.maxBodyBytes,
  });
  const maintenance = startMaintenance({
    db: database.db,
    tables: { archive: checkpointArchive, mutations: checkpointMutations },
    intervalSeconds: config.purgeIntervalSeconds,
    idempotencyTtlSeconds: config.idempotencyTtlSeconds,
    logger,
  });
  // GDPR: a deleted session leaves every checkpoint's links at once.
  const follower = await startFeedFollower({
    database,
    consumer: 'checkpoints',
    source: sessionChanges,
    channel: FEED_CHANNELS.sessions,
    apply: async (tx, changes) => {
      const deleted = changes.filter((c) => c.op === 'DELETE').map((c) => c.entityId);
      const removed = await store.unlinkSessions(tx, deleted);
      if (removed > 0) logger.info({ sessions: deleted.length, links: removed }, 'unlinked deleted sessions from checkpoints');
    },
    onError: (error) => logger.warn({ err: error }, 'sessions feed follower failed; will retry'),
  });
  return {
    ...server,
    store,
    runMaintenance: maintenance.runOnce,
    catchUp: follower.catchUp,
    async close() {
      maintenance.stop();
      await follower.stop();
      await server.close();
    },
  };
}
