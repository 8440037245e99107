import { sessionArchive, sessionMutations } from '@memory-context/db';
import { createSubgraphServer, loadSchemaFile, startMaintenance, type RunningServer, type ServiceDeps } from '@memory-context/server-kit';
import { sessionResolvers } from './resolvers.js';
import { SessionStore } from './session-store.js';

export interface SessionsSubgraph extends RunningServer {
  readonly store: SessionStore;
  /** Purges archives past retention now (also runs on an interval). */
  runMaintenance(): Promise<{ purged: string[]; expiredKeys: number }>;
}

/** The sessions subgraph: Submodule and Session entities, their change feed and GDPR deletion. */
export async function createSessionsSubgraph(deps: ServiceDeps): Promise<SessionsSubgraph> {
  const { config, database } = deps;
  const limits = { maxContentBytes: config.maxContentBytes, retentionSeconds: config.gdprRetentionSeconds };
  const store = new SessionStore(database.db, deps.redactor, limits);
  const logger = deps.logger.child({ component: 'sessions' });
  const server = await createSubgraphServer({
    name: 'sessions',
    typeDefs: loadSchemaFile('sessions'),
    resolvers: sessionResolvers(database.db, store),
    database,
    verifier: deps.verifier,
    audit: deps.audit,
    logger,
    production: deps.production,
    bodyLimit: config.maxBodyBytes,
  });
  const maintenance = startMaintenance({
    db: database.db,
    tables: { archive: sessionArchive, mutations: sessionMutations },
    intervalSeconds: config.purgeIntervalSeconds,
    idempotencyTtlSeconds: config.idempotencyTtlSeconds,
    logger,
  });
  return {
    ...server,
    store,
    runMaintenance: maintenance.runOnce,
    async close() {
      maintenance.stop();
      await server.close();
    },
  };
}
