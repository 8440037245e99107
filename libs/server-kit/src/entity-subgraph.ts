import type { SubgraphResolvers } from './resolver-map.js';
import { FEED_CHANNELS, sessionChanges, startFeedFollower, type mechanismTables, type Tx } from '@memory-context/db';
import type { Logger } from '@memory-context/telemetry';
import type { ServiceDeps } from './deps.js';
import { startMaintenance, type MaintenancePass } from './maintenance.js';
import { createServiceServer } from './service-server.js';
import type { RunningServer } from './subgraph-server.js';

export interface EntitySubgraphOptions {
  name: 'sessions' | 'patterns' | 'checkpoints';
  deps: ServiceDeps;
  logger: Logger;
  resolvers: SubgraphResolvers;
  /** The entity's archive (GDPR purge after retention), idempotency and change-feed tables. */
  tables: Pick<ReturnType<typeof mechanismTables>, 'archive' | 'mutations' | 'changes'>;
  /** This subgraph's maintenance also archives audit events past their retention (one service does). */
  archivesAudit?: boolean;
  /**
   * What this subgraph removes when sessions are deleted (GDPR), applied from
   * the sessions change feed in the transaction that moves its cursor.
   */
  onSessionsDeleted?: (tx: Tx, sessionIds: string[]) => Promise<void>;
}

export interface EntitySubgraph extends RunningServer {
  /** Runs the maintenance pass now (also runs on an interval): purges, key expiry, feed compaction, audit archive. */
  runMaintenance(): Promise<MaintenancePass>;
  /** Applies every sessions-feed change available now (0 without `onSessionsDeleted`); also runs on its own. */
  catchUp(): Promise<number>;
}

/** How long a sessions-feed NOTIFY waits before it wakes the deletions follower. */
const SESSION_DELETIONS_WAKE_MS = 500;

/**
 * What every entity subgraph runs beside its schema: the GraphQL server, the
 * maintenance loop, and (for patterns and checkpoints) the follower that
 * applies session deletions.
 */
export async function createEntitySubgraph(options: EntitySubgraphOptions): Promise<EntitySubgraph> {
  const { deps, logger, name } = options;
  const { config, database } = deps;
  const server = await createServiceServer(deps, { name, resolvers: options.resolvers, logger });
  const onSessionsDeleted = options.onSessionsDeleted;
  const follower = onSessionsDeleted
    ? await startFeedFollower({
        database,
        consumer: name,
        source: sessionChanges,
        channel: FEED_CHANNELS.sessions,
        // Links to a deleted session go within half a second: a burst of writes (an import) wakes this
        // follower once per half second, not once per commit, as it only acts on deletions.
        wakeDelayMs: SESSION_DELETIONS_WAKE_MS,
        apply: (tx, changes) => onSessionsDeleted(tx, changes.filter((c) => c.op === 'DELETE').map((c) => c.entityId)),
        onError: (error) => logger.warn({ err: error }, 'sessions feed follower failed; will retry'),
      })
    : undefined;
  const maintenance = startMaintenance({
    db: database.db,
    databaseKind: database.kind,
    tables: options.tables,
    intervalSeconds: config.purgeIntervalSeconds,
    idempotencyTtlSeconds: config.idempotencyTtlSeconds,
    feedRetention: { retentionSeconds: config.feedRetentionSeconds, tombstoneRetentionSeconds: config.feedTombstoneRetentionSeconds },
    ...(options.archivesAudit ? { auditArchive: { directory: config.auditArchiveDir, retentionSeconds: config.auditRetentionSeconds } } : {}),
    logger,
  });
  return {
    ...server,
    runMaintenance: maintenance.runOnce,
    catchUp: async () => (follower ? follower.catchUp() : 0),
    async close() {
      maintenance.stop();
      await follower?.stop();
      await server.close();
    },
  };
}
