import type { ClientContext } from './client-context.js';
import type { SessionPatch } from './entities.js';
import { SdkError } from './errors.js';
import { createCheckpoint, deleteEntity, recordPattern, updateSession, usePattern } from './local-writes.js';
import type { ConflictRecord, Resolution } from './set-aside.js';

export type { ConflictRecord, Resolution } from './set-aside.js';

/**
 * `discard` drops the local change; `reapply` writes it again on top of the
 * server copy now in the cache (a new baseVersion, new idempotency keys),
 * through the same local writes as any other change.
 */
export function resolveConflict(core: ClientContext, id: string, resolution: Resolution): ConflictRecord {
  const record = core.store.conflicts.get(id);
  if (!record) throw new SdkError('NOT_FOUND', `No conflict ${id} (memctx conflicts lists them).`);
  core.store.transaction(() => {
    core.store.conflicts.remove(id);
    if (!core.store.conflicts.has(record.kind, record.entityId) && core.store.entities.get(record.kind, record.entityId)?.syncState === 'conflict') {
      core.store.entities.setSyncState(record.kind, record.entityId, 'synced');
    }
  });
  if (resolution === 'reapply') reapply(core, record);
  return record;
}

function reapply(core: ClientContext, record: ConflictRecord): void {
  let patch: SessionPatch | undefined;
  const flushPatch = () => {
    if (!patch) return;
    const cached = core.store.entities.get('session', record.entityId);
    if (!cached) throw new SdkError('NOT_CACHED', `Session ${record.entityId} is no longer cached or on the server; its change cannot be reapplied.`);
    updateSession(core, cached.entity, cached.syncState, patch);
    patch = undefined;
  };
  for (const write of record.localWrites) {
    switch (write.op) {
      case 'update':
        patch = { ...patch, ...write.input };
        delete (patch as { idempotencyKey?: unknown }).idempotencyKey;
        break;
      case 'create':
        if (write.kind === 'session') {
          // The id exists on the server: put the local fields on top of it.
          const { id: _id, submoduleId: _owner, idempotencyKey: _key, ...fields } = write.input;
          patch = { ...patch, ...fields };
        } else if (write.kind === 'pattern') {
          const { id: _id, idempotencyKey: _key, ...fields } = write.input;
          recordPattern(core, fields);
        } else {
          const { id: _id, idempotencyKey: _key, ...fields } = write.input;
          createCheckpoint(core, fields);
        }
        break;
      case 'delete':
        flushPatch();
        deleteEntity(core, write.kind, write.id, write.gdprRequest ? { gdprRequest: true, reason: write.reason ?? 'reapplied' } : {});
        break;
      case 'use':
        usePattern(core, write.id);
        break;
    }
  }
  flushPatch();
}
