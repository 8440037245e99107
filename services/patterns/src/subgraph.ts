import { FEED_CHANNELS, patternArchive, patternMutations, sessionChanges, startFeedFollower } from '@memory-context/db';
import { createSubgraphServer, loadSchemaFile, startMaintenance, type RunningServer, type ServiceDeps } from '@memory-context/server-kit';
import { patternResolvers } from './resolvers.js';
import { PatternStore } from './pattern-store.js';

export interface PatternsSubgraph extends RunningServer {
  readonly store: PatternStore;
  /** Applies the sessions feed now (deleted sessions lose their pattern links). */
  catchUp(): Promise<number>;
  runMaintenance(): Promise<{ purged: string[]; expiredKeys: number }>;
}

/** The patterns subgraph: Pattern entities, Session.patterns, merge-on-record deduplication. */
export async function createPatternsSubgraph(deps: ServiceDeps): Promise<PatternsSubgraph> {
  const { config, database } = deps;
  const store = new PatternStore(database.db, deps.redactor, config.gdprRetentionSeconds);
  const logger = deps.logger.child({ component: 'patterns' });
  const server = await createSubgraphServer({
    name: 'patterns',
    typeDefs: loadSchemaFile('patterns'),
    resolvers: patternResolvers(database.db, store),
    database,
    verifier: deps.verifier,
    audit: deps.audit,
    logger,
    production: deps.production,
    bodyLimit: config.maxBodyBytes,
  });
  const follower = await startFeedFollower({
    database,
    consumer: 'patterns',
    source: sessionChanges,
    channel: FEED_CHANNELS.sessions,
    apply: async (tx, changes) => {
      const deleted = changes.filter((c) => c.op === 'DELETE').map((c) => c.entityId);
      const orphans = await store.forgetSessions(tx, deleted);
      if (orphans.length > 0) logger.info({ count: orphans.length }, 'deleted patterns whose every source session was deleted');
    },
    onError: (error) => logger.warn({ err: error }, 'sessions feed follower failed; will retry'),
  });
  const maintenance = startMaintenance({
    db: database.db,
    tables: { archive: patternArchive, mutations: patternMutations },
    intervalSeconds: config.purgeIntervalSeconds,
    idempotencyTtlSeconds: config.idempotencyTtlSeconds,
    logger,
  });
  return {
    ...server,
    store,
    catchUp: follower.catchUp,
    runMaintenance: maintenance.runOnce,
    async close() {
      maintenance.stop();
      await follower.stop();
      await server.close();
    },
  };
}
