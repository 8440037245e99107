import { or, inArray, eq, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { MemctxError } from '@memory-context/protocol';

/** The part of a verified principal the access rules need. */
export interface Actor {
  readonly submoduleId: string;
  readonly admin: boolean;
}

interface OwnedColumns {
  submoduleId: PgColumn;
  privacyLevel: PgColumn;
}

/**
 * Read rule (ARCHITECTURE §4): PUBLIC and TEAM of every submodule, PRIVATE
 * only of one's own; admin reads all. Every read query includes this.
 */
export function readableBy(actor: Actor, table: OwnedColumns): SQL {
  if (actor.admin) return sql`true`;
  return or(inArray(table.privacyLevel, ['PUBLIC', 'TEAM']), eq(table.submoduleId, actor.submoduleId)) as SQL;
}

export function canRead(actor: Actor, row: { submoduleId: string; privacyLevel: string }): boolean {
  return actor.admin || row.privacyLevel === 'PUBLIC' || row.privacyLevel === 'TEAM' || row.submoduleId === actor.submoduleId;
}

/** Write rule: only one's own submodule's entities (admin: any). */
export function assertCanWrite(actor: Actor, submoduleId: string, what = 'entity'): void {
  if (!actor.admin && actor.submoduleId !== submoduleId) {
    throw new MemctxError('FORBIDDEN', `This ${what} belongs to submodule "${submoduleId}"; a token for "${actor.submoduleId}" cannot change it.`);
  }
}
