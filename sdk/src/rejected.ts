import type { Database, Statement } from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { inTransaction, type ClientCore } from './core.js';
import type { EntityKind } from './entities.js';
import { SdkError, type SdkErrorCode } from './errors.js';
import type { OutboxEntry, OutboxWrite } from './outbox.js';

/** A queued write the server refused for good (validation, access, size): set aside, never dropped silently. */
export interface RejectedWrite {
  id: string;
  kind: EntityKind;
  op: OutboxWrite['op'];
  entityId: string;
  idempotencyKey: string;
  write: OutboxWrite;
  code: SdkErrorCode;
  reason: string;
  rejectedAt: string;
}

interface Row {
  id: string;
  kind: EntityKind;
  op: OutboxWrite['op'];
  entity_id: string;
  idempotency_key: string;
  payload: string;
  code: SdkErrorCode;
  reason: string;
  rejected_at: number;
}

function fromRow(row: Row): RejectedWrite {
  return {
    id: row.id,
    kind: row.kind,
    op: row.op,
    entityId: row.entity_id,
    idempotencyKey: row.idempotency_key,
    write: JSON.parse(row.payload) as OutboxWrite,
    code: row.code,
    reason: row.reason,
    rejectedAt: new Date(row.rejected_at).toISOString(),
  };
}

export class RejectedStore {
  private readonly insertStmt: Statement<[string, string, string, string, string, string, string, string, number]>;
  private readonly listStmt: Statement<[], Row>;
  private readonly getStmt: Statement<[string], Row>;
  private readonly removeStmt: Statement<[string]>;
  private readonly countStmt: Statement<[], { n: number }>;

  constructor(db: Database) {
    this.insertStmt = db.prepare(
      'INSERT INTO rejected (id, kind, op, entity_id, idempotency_key, payload, code, reason, rejected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.listStmt = db.prepare('SELECT * FROM rejected ORDER BY rejected_at, id');
    this.getStmt = db.prepare('SELECT * FROM rejected WHERE id = ?');
    this.removeStmt = db.prepare('DELETE FROM rejected WHERE id = ?');
    this.countStmt = db.prepare('SELECT count(*) AS n FROM rejected');
  }

  add(entry: OutboxEntry, code: SdkErrorCode, reason: string, now: number): RejectedWrite {
    const record: RejectedWrite = {
      id: uuidv7(),
      kind: entry.write.kind,
      op: entry.write.op,
      entityId: entry.write.id,
      idempotencyKey: entry.idempotencyKey,
      write: entry.write,
      code,
      reason,
      rejectedAt: new Date(now).toISOString(),
    };
    this.insertStmt.run(record.id, record.kind, record.op, record.entityId, record.idempotencyKey, JSON.stringify(record.write), code, reason, now);
    return record;
  }

  list(): RejectedWrite[] {
    return this.listStmt.all().map(fromRow);
  }

  get(id: string): RejectedWrite | undefined {
    const row = this.getStmt.get(id);
    return row ? fromRow(row) : undefined;
  }

  remove(id: string): void {
    this.removeStmt.run(id);
  }

  count(): number {
    return this.countStmt.get()?.n ?? 0;
  }
}

/**
 * Queues a rejected write again as it was (after the cause was fixed: a token
 * with more scopes, a smaller payload, a server bug behind INTERNAL), with its
 * idempotency key: had an earlier attempt committed after all, the resend is a replay.
 */
export function retryRejected(core: ClientCore, id: string): void {
  const record = core.rejected.get(id);
  if (!record) throw new SdkError('NOT_FOUND', `No rejected write ${id}.`);
  inTransaction(core, () => {
    core.rejected.remove(id);
    core.outbox.enqueue(record.write, { idempotencyKey: record.idempotencyKey });
  });
  core.afterWrite();
}
