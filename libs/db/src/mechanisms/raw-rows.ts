import type { SQL } from 'drizzle-orm';
import type { DbOrTx } from '../database.js';

/** Rows of a raw statement, whichever driver runs it (PGlite answers `{ rows }`, postgres.js an array). */
export async function rawRows<T>(db: DbOrTx, statement: SQL): Promise<T[]> {
  const result = (await db.execute(statement)) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
