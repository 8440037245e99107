import type { Database, Statement } from 'better-sqlite3';
import type { EntityKind } from '../entities.js';
import type { ConflictRecord, RejectedWrite } from '../set-aside.js';
import type { OutboxWrite } from '../writes.js';

type Value = string | number | null;

/** How one kind of set-aside record maps onto its table: the columns besides `id`, `kind` and `entity_id`. */
interface Codec<R extends { id: string; kind: EntityKind; entityId: string }> {
  table: string;
  /** The column that orders a listing (when the record was set aside). */
  at: string;
  columns: readonly string[];
  toRow(record: R): Value[];
  fromRow(row: Record<string, Value>): R;
}

/**
 * Records set aside from the outbox (conflicts, rejected writes): one
 * implementation for both tables. A record keeps its id for life, so adding
 * one that is already there (an export imported twice) changes nothing.
 */
export class SetAsideTable<R extends { id: string; kind: EntityKind; entityId: string }> {
  private readonly insertStmt: Statement<unknown[]>;
  private readonly listStmt: Statement<[], Record<string, Value>>;
  private readonly getStmt: Statement<[string], Record<string, Value>>;
  private readonly removeStmt: Statement<[string]>;
  private readonly countStmt: Statement<[], { n: number }>;
  private readonly hasStmt: Statement<[string, string], { n: number }>;

  constructor(
    db: Database,
    private readonly codec: Codec<R>,
  ) {
    const { table, at, columns } = codec;
    const all = ['id', 'kind', 'entity_id', ...columns];
    this.insertStmt = db.prepare(`INSERT INTO ${table} (${all.join(', ')}) VALUES (${all.map(() => '?').join(', ')}) ON CONFLICT (id) DO NOTHING`);
    this.listStmt = db.prepare(`SELECT * FROM ${table} ORDER BY ${at}, id`);
    this.getStmt = db.prepare(`SELECT * FROM ${table} WHERE id = ?`);
    this.removeStmt = db.prepare(`DELETE FROM ${table} WHERE id = ?`);
    this.countStmt = db.prepare(`SELECT count(*) AS n FROM ${table}`);
    this.hasStmt = db.prepare(`SELECT count(*) AS n FROM ${table} WHERE kind = ? AND entity_id = ?`);
  }

  /** Returns whether the record was added (false: one with its id is already there). */
  add(record: R): boolean {
    return this.insertStmt.run(record.id, record.kind, record.entityId, ...this.codec.toRow(record)).changes > 0;
  }

  list(): R[] {
    return this.listStmt.all().map((row) => this.codec.fromRow(row));
  }

  get(id: string): R | undefined {
    const row = this.getStmt.get(id);
    return row ? this.codec.fromRow(row) : undefined;
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

const time = (iso: string): number => Date.parse(iso);
const iso = (ms: unknown): string => new Date(Number(ms)).toISOString();

export function conflictsTable(db: Database): SetAsideTable<ConflictRecord> {
  return new SetAsideTable<ConflictRecord>(db, {
    table: 'conflicts',
    at: 'detected_at',
    columns: ['local_ops', 'base_version', 'server_version', 'server_entity', 'message', 'detected_at'],
    toRow: (r) => [JSON.stringify(r.localWrites), r.baseVersion, r.serverVersion, r.serverEntity ? JSON.stringify(r.serverEntity) : null, r.message, time(r.detectedAt)],
    fromRow: (row) => ({
      id: String(row.id),
      kind: row.kind as EntityKind,
      entityId: String(row.entity_id),
      localWrites: JSON.parse(String(row.local_ops)) as OutboxWrite[],
      baseVersion: row.base_version as number | null,
      serverVersion: row.server_version as number | null,
      serverEntity: row.server_entity ? (JSON.parse(String(row.server_entity)) as ConflictRecord['serverEntity']) : null,
      message: String(row.message),
      detectedAt: iso(row.detected_at),
    }),
  });
}

export function rejectedTable(db: Database): SetAsideTable<RejectedWrite> {
  return new SetAsideTable<RejectedWrite>(db, {
    table: 'rejected',
    at: 'rejected_at',
    columns: ['op', 'idempotency_key', 'payload', 'code', 'reason', 'rejected_at'],
    toRow: (r) => [r.op, r.idempotencyKey, JSON.stringify(r.write), r.code, r.reason, time(r.rejectedAt)],
    fromRow: (row) => ({
      id: String(row.id),
      kind: row.kind as EntityKind,
      op: row.op as RejectedWrite['op'],
      entityId: String(row.entity_id),
      idempotencyKey: String(row.idempotency_key),
      write: JSON.parse(String(row.payload)) as OutboxWrite,
      code: row.code as RejectedWrite['code'],
      reason: String(row.reason),
      rejectedAt: iso(row.rejected_at),
    }),
  });
}
