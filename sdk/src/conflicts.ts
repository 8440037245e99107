import type { Database, Statement } from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { inTransaction, type ClientCore } from './core.js';
import type { AnyEntity, EntityKind, SessionPatch } from './entities.js';
import { SdkError } from './errors.js';
import { createCheckpoint, deleteEntity, recordPattern, updateSession, usePattern } from './local-writes.js';
import type { OutboxWrite } from './outbox.js';

/**
 * A local change the server refused with CONFLICT ("central wins", ARCHITECTURE §6):
 * the cache holds the server copy, this record holds what the client wanted.
 */
export interface ConflictRecord {
  id: string;
  kind: EntityKind;
  entityId: string;
  /** The queued writes set aside, oldest first (the conflicting one and any after it). */
  localWrites: OutboxWrite[];
  /** The version the local change was based on. */
  baseVersion: number | null;
  /** The server's version when the conflict was found (null: the entity is gone). */
  serverVersion: number | null;
  serverEntity: AnyEntity | null;
  message: string;
  detectedAt: string;
}

export type Resolution = 'reapply' | 'discard';

interface Row {
  id: string;
  kind: EntityKind;
  entity_id: string;
  local_ops: string;
  base_version: number | null;
  server_version: number | null;
  server_entity: string | null;
  message: string;
  detected_at: number;
}

function fromRow(row: Row): ConflictRecord {
  return {
    id: row.id,
    kind: row.kind,
    entityId: row.entity_id,
    localWrites: JSON.parse(row.local_ops) as OutboxWrite[],
    baseVersion: row.base_version,
    serverVersion: row.server_version,
    serverEntity: row.server_entity ? (JSON.parse(row.server_entity) as AnyEntity) : null,
    message: row.message,
    detectedAt: new Date(row.detected_at).toISOString(),
  };
}

export class ConflictStore {
  private readonly insertStmt: Statement<[string, string, string, string, number | null, number | null, string | null, string, number]>;
  private readonly listStmt: Statement<[], Row>;
  private readonly getStmt: Statement<[string], Row>;
  private readonly removeStmt: Statement<[string]>;
  private readonly countStmt: Statement<[], { n: number }>;
  private readonly hasStmt: Statement<[string, string], { n: number }>;

  constructor(db: Database) {
    this.insertStmt = db.prepare(
      'INSERT INTO conflicts (id, kind, entity_id, local_ops, base_version, server_version, server_entity, message, detected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.listStmt = db.prepare('SELECT * FROM conflicts ORDER BY detected_at, id');
    this.getStmt = db.prepare('SELECT * FROM conflicts WHERE id = ?');
    this.removeStmt = db.prepare('DELETE FROM conflicts WHERE id = ?');
    this.countStmt = db.prepare('SELECT count(*) AS n FROM conflicts');
    this.hasStmt = db.prepare('SELECT count(*) AS n FROM conflicts WHERE kind = ? AND entity_id = ?');
  }

  add(record: Omit<ConflictRecord, 'id' | 'detectedAt'>, now: number): ConflictRecord {
    const id = uuidv7();
    this.insertStmt.run(
      id,
      record.kind,
      record.entityId,
      JSON.stringify(record.localWrites),
      record.baseVersion,
      record.serverVersion,
      record.serverEntity ? JSON.stringify(record.serverEntity) : null,
      record.message,
      now,
    );
    return { ...record, id, detectedAt: new Date(now).toISOString() };
  }

  list(): ConflictRecord[] {
    return this.listStmt.all().map(fromRow);
  }

  get(id: string): ConflictRecord | undefined {
    const row = this.getStmt.get(id);
    return row ? fromRow(row) : undefined;
  }

  remove(id: string): void {
    this.removeStmt.run(id);
  }

  count(): number {
    return this.countStmt.get()?.n ?? 0;
  }

  has(kind: EntityKind, entityId: string): boolean {
    return (this.hasStmt.get(kind, entityId)?.n ?? 0) > 0;
  }
}

/**
 * `discard` drops the local change; `reapply` writes it again on top of the
 * server copy now in the cache (a new baseVersion, new idempotency keys),
 * through the same local writes as any other change.
 */
export function resolveConflict(core: ClientCore, id: string, resolution: Resolution): ConflictRecord {
  const record = core.conflicts.get(id);
  if (!record) throw new SdkError('NOT_FOUND', `No conflict ${id} (memctx conflicts lists them).`);
  inTransaction(core, () => {
    core.conflicts.remove(id);
    if (!core.conflicts.has(record.kind, record.entityId) && core.store.get(record.kind, record.entityId)?.syncState === 'conflict') {
      core.store.setSyncState(record.kind, record.entityId, 'synced');
    }
  });
  if (resolution === 'reapply') reapply(core, record);
  return record;
}

function reapply(core: ClientCore, record: ConflictRecord): void {
  let patch: SessionPatch | undefined;
  const flushPatch = () => {
    if (!patch) return;
    const cached = core.store.get('session', record.entityId);
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
