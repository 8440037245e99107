import type { ClientCore } from './core.js';
import type { AnyEntity, EntityKind } from './entities.js';

/**
 * The one rule for server copies arriving from a pull or a read: central wins,
 * except over a row with a local change still queued (the flusher settles it
 * when the write is answered) or an EPHEMERAL row.
 */
export function applyServerCopy(core: ClientCore, kind: EntityKind, entity: AnyEntity): boolean {
  if (core.outbox.hasPending(kind, entity.id)) return false;
  return core.store.putServerCopy(kind, entity);
}

/** A tombstone or a lost access: the copy goes, unless a local change is queued for it. */
export function applyServerDeletion(core: ClientCore, kind: EntityKind, id: string): boolean {
  if (core.outbox.hasPending(kind, id)) return false;
  return core.store.removeServerCopy(kind, id);
}

/** The server's answer to the last queued write of an entity: it replaces the local copy. */
export function settleWithServerCopy(core: ClientCore, kind: EntityKind, entity: AnyEntity): void {
  if (core.outbox.hasPending(kind, entity.id)) return;
  core.store.put(kind, entity, core.conflicts.has(kind, entity.id) ? 'conflict' : 'synced');
}
