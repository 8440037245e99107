import { archiveAuditEvents, type AuditArchiveOptions, type AuditArchiveResult } from '@memory-context/audit';
import { compactFeed, expireIdempotencyKeys, purgeArchive, type CompactionResult, type Database, type Db, type FeedRetention, type mechanismTables } from '@memory-context/db';
import type { Logger } from '@memory-context/telemetry';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { scrubAfterPurge } from './scrub-after-purge.js';

/** Derived from every entity's text: a purge scrubs it as well as the entity's own schema. */
const SEARCH_SCHEMA = 'search';

type Mechanisms = Pick<ReturnType<typeof mechanismTables>, 'archive' | 'mutations' | 'changes'>;

export interface MaintenancePass {
  purged: string[];
  expiredKeys: number;
  /** What compacting the subgraph's change feed removed, and its horizon. */
  compacted: CompactionResult;
  /** Audit events archived (only where `auditArchive` is set). */
  auditArchived: AuditArchiveResult | null;
}

export interface Maintenance {
  /** Runs one pass now (tests call it after shortening the retention window). */
  runOnce(): Promise<MaintenancePass>;
  stop(): void;
}

/**
 * Per subgraph, on an interval: purges archived content past its retention
 * window (GDPR: nothing of it survives, not even in free space of the table
 * files: scrub-after-purge.ts), forgets old idempotency keys, compacts the
 * change feed (feed-retention.ts) and, in one service, moves audit events
 * past their retention to archive files (audit-archive.ts).
 */
export function startMaintenance(options: {
  db: Db;
  databaseKind: Database['kind'];
  tables: Mechanisms;
  intervalSeconds: number;
  idempotencyTtlSeconds: number;
  feedRetention: FeedRetention;
  /** Set in one service only (sessions): where and after how long audit events are archived. */
  auditArchive?: Pick<AuditArchiveOptions, 'directory' | 'retentionSeconds'>;
  logger: Logger;
  onPurged?: (ids: string[]) => Promise<void>;
}): Maintenance {
  async function runOnce() {
    const purged = await purgeArchive(options.db, options.tables.archive);
    if (purged.length > 0) {
      await options.onPurged?.(purged);
      options.logger.info({ count: purged.length }, 'purged archived content past retention');
      const schema = getTableConfig(options.tables.archive).schema ?? 'public';
      try {
        await scrubAfterPurge(options.db, [schema, SEARCH_SCHEMA], { full: options.databaseKind === 'pglite' });
      } catch (error) {
        // The purge itself is committed; only the bytes in free space remain until the next scrub or autovacuum.
        options.logger.warn(
          { err: error, schemas: [schema, SEARCH_SCHEMA] },
          'could not vacuum after the purge: run the services as the tables\' owner, or VACUUM and REINDEX these schemas yourself',
        );
      }
    }
    const expiredKeys = await expireIdempotencyKeys(options.db, options.tables.mutations, options.idempotencyTtlSeconds);
    const compacted = await compactFeed(options.db, options.tables.changes, options.feedRetention);
    if (compacted.removed > 0) options.logger.info(compacted, 'compacted the change feed');
    const auditArchived = options.auditArchive ? await archiveAuditEvents(options.db, options.auditArchive) : null;
    if (auditArchived && auditArchived.archived > 0) options.logger.info(auditArchived, 'archived audit events past retention');
    return { purged, expiredKeys, compacted, auditArchived };
  }
  const timer = setInterval(() => {
    runOnce().catch((error: unknown) => options.logger.warn({ err: error }, 'maintenance pass failed; will retry'));
  }, options.intervalSeconds * 1000);
  timer.unref();
  return { runOnce, stop: () => clearInterval(timer) };
}
