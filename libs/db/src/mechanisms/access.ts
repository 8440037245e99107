import { eq, inArray, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { readScope, type Actor } from '@memory-context/access';

export { assertCanWrite, canRead, type Actor } from '@memory-context/access';

/** Where a row keeps its owner and level: table columns, or raw SQL names (`sql\`privacy_level\``). */
export interface OwnedColumns {
  submoduleId: SQLWrapper;
  privacyLevel: SQLWrapper;
}

/**
 * The read rule of @memory-context/access as a SQL predicate on `columns`.
 * Every read query includes it, so a row the actor may not read is never
 * fetched (not filtered out afterwards).
 */
export function readableBy(actor: Actor, columns: OwnedColumns): SQL {
  const scope = readScope(actor);
  if (scope.everything) return sql`true`;
  return sql`(${inArray(columns.privacyLevel, [...scope.sharedLevels])} or ${eq(columns.submoduleId, scope.ownSubmodule)})`;
}
