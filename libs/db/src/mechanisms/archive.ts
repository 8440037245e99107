import { lte, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../database.js';
import type { mechanismTables } from '../schema/columns.js';

type ArchiveTable = ReturnType<typeof mechanismTables>['archive'];

export interface ArchiveEntry {
  entityId: string;
  submoduleId: string;
  payload: unknown;
  reason: string | null;
  gdpr: boolean;
  retentionSeconds: number;
}

/**
 * Keeps a deleted entity's content out of the live tables, for the retention
 * window only. `purgeArchive` removes it for good afterwards.
 */
export async function archiveEntity(tx: DbOrTx, table: ArchiveTable, entry: ArchiveEntry): Promise<void> {
  const purgeAfter = sql`now() + make_interval(secs => ${entry.retentionSeconds})`;
  await tx
    .insert(table)
    .values({ entityId: entry.entityId, submoduleId: entry.submoduleId, payload: entry.payload as never, reason: entry.reason, gdpr: entry.gdpr, purgeAfter })
    .onConflictDoUpdate({ target: table.entityId, set: { payload: entry.payload as never, reason: entry.reason, gdpr: entry.gdpr, purgeAfter, deletedAt: sql`now()` } });
}

export async function purgeArchive(db: Db, table: ArchiveTable): Promise<string[]> {
  const removed = await db.delete(table).where(lte(table.purgeAfter, sql`now()`)).returning({ entityId: table.entityId });
  return removed.map((r) => r.entityId);
}
