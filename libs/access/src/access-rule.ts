import { MemctxError, type StoredPrivacyLevel } from '@memory-context/protocol';

/** The part of a verified principal the access rules need. */
export interface Actor {
  readonly submoduleId: string;
  readonly admin: boolean;
}

/** Levels every submodule reads of every other submodule. */
export const SHARED_LEVELS: readonly StoredPrivacyLevel[] = ['PUBLIC', 'TEAM'];

/**
 * Who may read what (ARCHITECTURE §4), as data rather than as a query, so
 * each store (SQL, Qdrant, the in-memory index) translates this one
 * description instead of restating the rule: either everything (admin), or
 * the rows whose level is one of `sharedLevels` or whose submodule is
 * `ownSubmodule`.
 */
export type ReadScope =
  | { readonly everything: true }
  | { readonly everything: false; readonly sharedLevels: readonly StoredPrivacyLevel[]; readonly ownSubmodule: string };

export function readScope(actor: Actor): ReadScope {
  if (actor.admin) return { everything: true };
  return { everything: false, sharedLevels: SHARED_LEVELS, ownSubmodule: actor.submoduleId };
}

/** The read rule for one row already in memory (the same scope, evaluated in JavaScript). */
export function canRead(actor: Actor, row: { readonly submoduleId: string; readonly privacyLevel: string }): boolean {
  const scope = readScope(actor);
  return scope.everything || scope.sharedLevels.includes(row.privacyLevel as StoredPrivacyLevel) || row.submoduleId === scope.ownSubmodule;
}

/** Write rule: only one's own submodule's entities (admin: any). */
export function canWrite(actor: Actor, submoduleId: string): boolean {
  return actor.admin || actor.submoduleId === submoduleId;
}

export function assertCanWrite(actor: Actor, submoduleId: string, what = 'entity'): void {
  if (!canWrite(actor, submoduleId)) {
    throw new MemctxError('FORBIDDEN', `This ${what} belongs to submodule "${submoduleId}"; a token for "${actor.submoduleId}" cannot change it.`);
  }
}

/** EPHEMERAL is never stored centrally: the SDK keeps it in its local cache only. */
export function assertStorable(level: string, what: string): asserts level is StoredPrivacyLevel {
  if (level === 'EPHEMERAL') {
    throw new MemctxError('EPHEMERAL_NOT_PERSISTED', `EPHEMERAL ${what} are never stored centrally; the SDK keeps them in its local cache.`);
  }
}

/**
 * A create whose client-chosen id is taken. Ids are one space across
 * submodules, so the answer is the same whoever holds the id and whether or
 * not the caller may read it: it names neither the owner nor the entity.
 */
export function idTaken(id: string): MemctxError {
  return new MemctxError('CONFLICT', `The id ${id} is already taken; choose a new id, or replay the first request with its idempotencyKey.`);
}
