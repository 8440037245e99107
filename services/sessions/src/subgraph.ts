import { sessionArchive, sessionChanges, sessionMutations } from '@memory-context/db';
import { createEntitySubgraph, type EntitySubgraph, type ServiceDeps } from '@memory-context/server-kit';
import { auditEventResolvers } from './audit-events.js';
import { sessionResolvers } from './resolvers.js';
import type { Resolvers } from './generated/resolvers-types.js';
import { SessionStore } from './session-store.js';
import { SubmoduleStore } from './submodule-store.js';

export interface SessionsSubgraph extends EntitySubgraph {
  readonly store: SessionStore;
}

/** The sessions subgraph: Submodule and Session entities, their change feed and GDPR deletion, and the audit trail's query. */
export async function createSessionsSubgraph(deps: ServiceDeps): Promise<SessionsSubgraph> {
  const { config, database } = deps;
  const limits = { maxContentBytes: config.maxContentBytes, retentionSeconds: config.gdprRetentionSeconds };
  const store = new SessionStore(database.db, deps.redactor, limits);
  const subgraph = await createEntitySubgraph({
    name: 'sessions',
    deps,
    logger: deps.logger.child({ component: 'sessions' }),
    resolvers: withAuditEvents(sessionResolvers(database.db, store, new SubmoduleStore(database.db), { maxWriteBatch: config.maxWriteBatch }), database.db),
    tables: { archive: sessionArchive, mutations: sessionMutations, changes: sessionChanges },
    archivesAudit: true,
  });
  return { ...subgraph, store };
}

/** The audit trail's query lives here beside the submodule registry: both are admin views of the whole system. */
function withAuditEvents(resolvers: Resolvers, db: Parameters<typeof auditEventResolvers>[0]): Resolvers {
  return { ...resolvers, Query: { ...resolvers.Query, ...auditEventResolvers(db).Query } };
}
