import { sessionArchive, sessionMutations } from '@memory-context/db';
import { createEntitySubgraph, type EntitySubgraph, type ServiceDeps } from '@memory-context/server-kit';
import { sessionResolvers } from './resolvers.js';
import { SessionStore } from './session-store.js';

export interface SessionsSubgraph extends EntitySubgraph {
  readonly store: SessionStore;
}

/** The sessions subgraph: Submodule and Session entities, their change feed and GDPR deletion. */
export async function createSessionsSubgraph(deps: ServiceDeps): Promise<SessionsSubgraph> {
  const { config, database } = deps;
  const limits = { maxContentBytes: config.maxContentBytes, retentionSeconds: config.gdprRetentionSeconds };
  const store = new SessionStore(database.db, deps.redactor, limits);
  const subgraph = await createEntitySubgraph({
    name: 'sessions',
    deps,
    logger: deps.logger.child({ component: 'sessions' }),
    resolvers: sessionResolvers(database.db, store),
    tables: { archive: sessionArchive, mutations: sessionMutations },
  });
  return { ...subgraph, store };
}
