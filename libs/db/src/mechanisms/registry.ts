import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../database.js';
import { submodules } from '../schema/registry.js';

/** A submodule is registered on its first authenticated write (ARCHITECTURE §3). */
export async function ensureSubmodule(db: DbOrTx, submoduleId: string): Promise<void> {
  await db.insert(submodules).values({ id: submoduleId, name: submoduleId }).onConflictDoNothing();
}

/** Marks a submodule as having synced now; throttled to one write a minute. */
export async function touchSubmoduleSync(db: DbOrTx, submoduleId: string): Promise<void> {
  await db
    .update(submodules)
    .set({ lastSyncAt: sql`now()` })
    .where(and(eq(submodules.id, submoduleId), or(isNull(submodules.lastSyncAt), lt(submodules.lastSyncAt, sql`now() - interval '1 minute'`))));
}
