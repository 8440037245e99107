import type { Database, Statement } from 'better-sqlite3';
import type { EntityKind } from '../entities.js';
import { assertStorable, entityKey, newIdempotencyKey, type OutboxEntry, type OutboxWrite } from '../writes.js';

interface Row {
  seq: number;
  kind: string;
  op: string;
  entity_id: string;
  idempotency_key: string;
  payload: string;
  deps: string;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
}

function fromRow(row: Row): OutboxEntry {
  return {
    seq: row.seq,
    idempotencyKey: row.idempotency_key,
    write: JSON.parse(row.payload) as OutboxWrite,
    deps: JSON.parse(row.deps) as string[],
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    createdAt: row.created_at,
  };
}

/**
 * The queue of writes waiting for the gateway. Callers enqueue inside the
 * same SQLite transaction that changes the cached entity, so a write is
 * either both cached and queued or neither.
 */
export class Outbox {
  private readonly insertStmt: Statement<[string, string, string, string, string, string, number]>;
  private readonly listStmt: Statement<[number], Row>;
  private readonly countStmt: Statement<[], { n: number }>;
  private readonly removeStmt: Statement<[number]>;
  private readonly pendingForStmt: Statement<[string, string], { n: number }>;
  private readonly failStmt: Statement<[string, string, number, number], { attempts: number }>;
  private readonly entityStmt: Statement<[string, string], Row>;
  private readonly createStmt: Statement<[string, string], { n: number }>;
  private readonly atLeastStmt: Statement<[number], { one: number }>;

  private readonly minNextStmt: Statement<[], { t: number | null }>;
  private readonly rekeyStmt: Statement<[string, string, number]>;
  private readonly rekeyDepsStmt: Statement<[string, string, string]>;

  constructor(
    db: Database,
    private readonly now: () => number,
  ) {
    this.insertStmt = db.prepare(
      'INSERT INTO outbox (kind, op, entity_id, idempotency_key, payload, deps, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING',
    );
    this.listStmt = db.prepare('SELECT * FROM outbox ORDER BY seq LIMIT ?');
    this.countStmt = db.prepare('SELECT count(*) AS n FROM outbox');
    this.removeStmt = db.prepare('DELETE FROM outbox WHERE seq = ?');
    this.pendingForStmt = db.prepare('SELECT count(*) AS n FROM outbox WHERE kind = ? AND entity_id = ?');
    this.failStmt = db.prepare(
      `UPDATE outbox SET attempts = CASE WHEN instr(coalesce(last_error, ''), ?) = 1 THEN attempts + 1 ELSE 1 END, last_error = ?, next_attempt_at = ?
       WHERE seq = ? RETURNING attempts`,
    );
    this.entityStmt = db.prepare('SELECT * FROM outbox WHERE kind = ? AND entity_id = ? ORDER BY seq');
    this.atLeastStmt = db.prepare('SELECT 1 AS one FROM outbox LIMIT 1 OFFSET ?');
    this.createStmt = db.prepare(`SELECT count(*) AS n FROM outbox WHERE kind = ? AND entity_id = ? AND op = 'create'`);
    this.minNextStmt = db.prepare('SELECT min(next_attempt_at) AS t FROM outbox');
    this.rekeyStmt = db.prepare('UPDATE outbox SET entity_id = ?, payload = ? WHERE seq = ?');
    this.rekeyDepsStmt = db.prepare('UPDATE outbox SET deps = replace(deps, ?, ?) WHERE instr(deps, ?) > 0');
  }

  /**
   * Queues a write; an already queued idempotency key (an import replayed twice) is ignored.
   * Throws BAD_USER_INPUT for text or JSON the server would refuse (assertStorable).
   */
  enqueue(write: OutboxWrite, options: { deps?: readonly string[]; idempotencyKey?: string } = {}): string {
    assertStorable(write);
    const key = options.idempotencyKey ?? newIdempotencyKey();
    this.insertStmt.run(write.kind, write.op, write.id, key, JSON.stringify(write), JSON.stringify(options.deps ?? []), this.now());
    return key;
  }

  /** The oldest entries first. */
  list(limit = 1_000_000): OutboxEntry[] {
    return this.listStmt.all(limit).map(fromRow);
  }

  count(): number {
    return this.countStmt.get()?.n ?? 0;
  }

  remove(seq: number): void {
    this.removeStmt.run(seq);
  }

  /** Whether at least `n` writes are queued, without counting them all. */
  atLeast(n: number): boolean {
    return this.atLeastStmt.get(Math.max(0, n - 1)) !== undefined;
  }

  /** When the earliest waiting write may be retried (ms since the epoch), if any is queued. */
  nextAttemptAt(): number | null {
    return this.minNextStmt.get()?.t ?? null;
  }

  hasPending(kind: EntityKind, id: string): boolean {
    return (this.pendingForStmt.get(kind, id)?.n ?? 0) > 0;
  }

  /** Whether the entity's creation is still queued (the server does not know it yet). */
  hasCreate(kind: EntityKind, id: string): boolean {
    return (this.createStmt.get(kind, id)?.n ?? 0) > 0;
  }

  /**
   * Records a failed attempt and when to try again. `attempts` counts the
   * failures in a row with the same code (a different code starts again at 1),
   * which is what the flusher bounds for INTERNAL; returns it.
   */
  markFailed(seq: number, code: string, message: string, nextAttemptAt: number): number {
    return this.failStmt.get(`${code}:`, `${code}: ${message}`, nextAttemptAt, seq)?.attempts ?? 1;
  }

  /** Removes and returns every entry of one entity (they move to `conflicts` together). */
  takeEntity(kind: EntityKind, id: string): OutboxEntry[] {
    const entries = this.entityStmt.all(kind, id).map(fromRow);
    for (const e of entries) this.removeStmt.run(e.seq);
    return entries;
  }

  /** After the server merged a new pattern into an existing one, later writes target the existing id. */
  rekey(kind: EntityKind, fromId: string, toId: string): void {
    for (const entry of this.entityStmt.all(kind, fromId).map(fromRow)) {
      const write = { ...entry.write, id: toId } as OutboxWrite;
      this.rekeyStmt.run(toId, JSON.stringify(write), entry.seq);
    }
    const from = JSON.stringify(entityKey(kind, fromId));
    this.rekeyDepsStmt.run(from, JSON.stringify(entityKey(kind, toId)), from);
  }
}
