import type { Database } from 'better-sqlite3';
import { ENTITY_KINDS, TABLE, type AnyEntity, type EntityKind } from '../entities.js';
import type { ConflictRecord, RejectedWrite } from '../set-aside.js';
import type { OutboxEntry } from '../writes.js';
import { Metadata } from './metadata.js';
import { Outbox } from './outbox-table.js';
import { conflictsTable, rejectedTable } from './set-aside-table.js';

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

function attempt<T>(errors: string[], what: string, read: () => T, fallback: T): T {
  try {
    return read();
  } catch (err) {
    errors.push(`${what}: ${(err as Error).message}`);
    return fallback;
  }
}

/** Reads everything pending from a cache database, table by table, as far as each can be read (a damaged cache too). */
export function collectPending(db: Database, cachePath: string, now: number): ExportedPending {
  const errors: string[] = [];
  const writes = attempt(
    errors,
    'outbox',
    () => new Outbox(db, () => now).list().map(({ idempotencyKey, write, deps, createdAt }) => ({ idempotencyKey, write, deps, createdAt })),
    [],
  );
  const conflicts = attempt(errors, 'conflicts', () => conflictsTable(db).list(), []);
  const rejected = attempt(errors, 'rejected', () => rejectedTable(db).list(), []);
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
  const submoduleId = attempt(errors, 'metadata', () => new Metadata(db).get('submodule') ?? null, null);
  return { format: 'memctx-pending', version: 1, exportedAt: new Date(now).toISOString(), cachePath, submoduleId, writes, conflicts, rejected, ephemeral, errors };
}
