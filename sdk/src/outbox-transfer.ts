import { readFileSync, writeFileSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { inTransaction } from './core.js';
import { EntityStore } from './cache/entity-store.js';
import { ConflictStore, type ConflictRecord } from './conflicts.js';
import { ENTITY_KINDS, TABLE, type AnyEntity, type EntityKind } from './entities.js';
import { SdkError } from './errors.js';
import { localCheckpoint, localPattern, localSession } from './local-copies.js';
import { Outbox, type OutboxEntry } from './outbox.js';
import { summaryOf } from './redaction.js';
import type { RejectedWrite } from './rejected.js';

/**
 * What a cache holds that exists nowhere else: queued writes (with their
 * idempotency keys, so a re-import cannot apply anything twice), conflicts,
 * rejected writes and EPHEMERAL entities. Written before a cache is rebuilt,
 * read back by `memctx outbox import`.
 */
export interface ExportedPending {
  format: 'memctx-pending';
  version: 1;
  exportedAt: string;
  cachePath: string;
  submoduleId: string | null;
  writes: Array<Pick<OutboxEntry, 'idempotencyKey' | 'write' | 'deps' | 'createdAt'>>;
  conflicts: ConflictRecord[];
  rejected: RejectedWrite[];
  ephemeral: Array<{ kind: EntityKind; entity: AnyEntity }>;
  /** Parts that could not be read from a damaged cache. */
  errors: string[];
}

export interface ImportResult {
  writes: number;
  conflicts: number;
  rejected: number;
  ephemeral: number;
}

function attempt<T>(errors: string[], what: string, read: () => T, fallback: T): T {
  try {
    return read();
  } catch (err) {
    errors.push(`${what}: ${(err as Error).message}`);
    return fallback;
  }
}

/** Reads everything pending from an open cache database, as far as it can be read. */
export function collectPending(db: Database, cachePath: string): ExportedPending {
  const errors: string[] = [];
  const writes = attempt(errors, 'outbox', () => new Outbox(db).list().map(({ idempotencyKey, write, deps, createdAt }) => ({ idempotencyKey, write, deps, createdAt })), []);
  const conflicts = attempt(errors, 'conflicts', () => new ConflictStore(db).list(), []);
  const rejected = attempt(
    errors,
    'rejected',
    () =>
      (db.prepare('SELECT * FROM rejected ORDER BY rejected_at').all() as Array<Record<string, unknown>>).map((r) => ({
        id: String(r.id),
        kind: r.kind as EntityKind,
        op: r.op as RejectedWrite['op'],
        entityId: String(r.entity_id),
        idempotencyKey: String(r.idempotency_key),
        write: JSON.parse(String(r.payload)) as RejectedWrite['write'],
        code: r.code as RejectedWrite['code'],
        reason: String(r.reason),
        rejectedAt: new Date(Number(r.rejected_at)).toISOString(),
      })),
    [],
  );
  const ephemeral = ENTITY_KINDS.flatMap((kind) =>
    attempt(
      errors,
      `${TABLE[kind].table} (EPHEMERAL)`,
      () =>
        (db.prepare(`SELECT data FROM ${TABLE[kind].table} WHERE sync_state = 'local'`).all() as Array<{ data: string }>).map((r) => ({
          kind,
          entity: JSON.parse(r.data) as AnyEntity,
        })),
      [],
    ),
  );
  const submoduleId = attempt(errors, 'metadata', () => (db.prepare(`SELECT value FROM metadata WHERE key = 'submodule'`).get() as { value: string } | undefined)?.value ?? null, null);
  return { format: 'memctx-pending', version: 1, exportedAt: new Date().toISOString(), cachePath, submoduleId, writes, conflicts, rejected, ephemeral, errors };
}

export function exportPending(db: Database, cachePath: string, file?: string): ExportedPending {
  const exported = collectPending(db, cachePath);
  if (file) writeFileSync(file, `${JSON.stringify(exported, null, 2)}\n`, { mode: 0o600 });
  return exported;
}

export function readExport(file: string): ExportedPending {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new SdkError('BAD_USER_INPUT', `${file} is not a readable export of pending writes: ${(err as Error).message}`);
  }
  if ((parsed as { format?: unknown }).format !== 'memctx-pending' || (parsed as { version?: unknown }).version !== 1) {
    throw new SdkError('BAD_USER_INPUT', `${file} is not an export of pending writes (format memctx-pending, version 1).`);
  }
  return parsed as ExportedPending;
}

/**
 * Queues the exported writes again, in their order, with their idempotency
 * keys; a write already in this outbox is skipped. Created entities get
 * their local copy back, so they can be read before they are sent.
 */
export function importPending(db: Database, fileOrExport: string | ExportedPending): ImportResult {
  const exported = typeof fileOrExport === 'string' ? readExport(fileOrExport) : fileOrExport;
  const outbox = new Outbox(db);
  const store = new EntityStore(db);
  const conflicts = new ConflictStore(db);
  const owner = exported.submoduleId ?? '';
  const result: ImportResult = { writes: 0, conflicts: 0, rejected: 0, ephemeral: 0 };
  inTransaction({ db }, () => {
    for (const { idempotencyKey, write, deps } of exported.writes) {
      outbox.enqueue(write, { idempotencyKey, deps });
      result.writes++;
      if (write.op !== 'create' || store.get(write.kind, write.id)) continue;
      const at = new Date().toISOString();
      if (write.kind === 'session') store.put('session', localSession(write.id, owner, write.input, summaryOf({}), at), 'pending');
      else if (write.kind === 'pattern') store.put('pattern', localPattern(write.id, owner, write.input, at), 'pending');
      else store.put('checkpoint', localCheckpoint(write.id, owner, write.input, at), 'pending');
    }
    for (const record of exported.conflicts) {
      if (conflicts.get(record.id)) continue;
      conflicts.add(record, Date.parse(record.detectedAt) || Date.now());
      result.conflicts++;
    }
    const insertRejected = db.prepare(
      'INSERT OR IGNORE INTO rejected (id, kind, op, entity_id, idempotency_key, payload, code, reason, rejected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    for (const r of exported.rejected) {
      result.rejected += insertRejected.run(r.id, r.kind, r.op, r.entityId, r.idempotencyKey, JSON.stringify(r.write), r.code, r.reason, Date.parse(r.rejectedAt) || Date.now()).changes;
    }
    for (const { kind, entity } of exported.ephemeral) {
      if (store.get(kind, entity.id)) continue;
      store.put(kind, entity, 'local');
      result.ephemeral++;
    }
  });
  return result;
}
