import { patternArchive, patternChanges, patternMutations } from '@memory-context/db';
import { createEntitySubgraph, type EntitySubgraph, type ServiceDeps } from '@memory-context/server-kit';
import { patternResolvers } from './resolvers.js';
import { PatternStore } from './pattern-store.js';

export interface PatternsSubgraph extends EntitySubgraph {
  readonly store: PatternStore;
}

/** The patterns subgraph: Pattern entities, Session.patterns, merge-on-record deduplication. */
export async function createPatternsSubgraph(deps: ServiceDeps): Promise<PatternsSubgraph> {
  const { config, database } = deps;
  const store = new PatternStore(database.db, deps.redactor, config.gdprRetentionSeconds);
  const logger = deps.logger.child({ component: 'patterns' });
  const subgraph = await createEntitySubgraph({
    name: 'patterns',
    deps,
    logger,
    resolvers: patternResolvers(database.db, store, { maxWriteBatch: config.maxWriteBatch }),
    tables: { archive: patternArchive, mutations: patternMutations, changes: patternChanges },
    // GDPR: a deleted session leaves every pattern's sources; a pattern with none left goes too.
    onSessionsDeleted: async (tx, sessionIds) => {
      const orphans = await store.forgetSessions(tx, sessionIds);
      if (orphans.length > 0) logger.info({ count: orphans.length }, 'deleted patterns whose every source session was deleted');
    },
  });
  return { ...subgraph, store };
}
