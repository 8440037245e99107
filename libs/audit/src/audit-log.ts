import type { SQL } from 'drizzle-orm';
import { auditEvents, recordsInsert, type Db, type DbOrTx } from '@memory-context/db';
import { sanitizeDetails, type AuditEvent } from './event.js';
import { sanitizeReason } from './reason.js';

function toRow(event: AuditEvent) {
  return {
    actor: event.actor,
    action: event.action,
    resourceType: event.resourceType,
    resourceId: event.resourceId ?? null,
    submoduleId: event.submoduleId ?? null,
    reason: sanitizeReason(event.reason),
    requestId: event.requestId ?? null,
    outcome: event.outcome,
    details: sanitizeDetails(event.details),
  };
}

/** Writes in the caller's transaction: the write and its audit commit together. */
export async function recordAudit(tx: DbOrTx, event: AuditEvent): Promise<void> {
  await tx.execute(auditInsert(event));
}

/** The insert recordAudit runs, not yet sent: to run inside another statement (a CTE). */
export function auditInsert(event: AuditEvent): SQL {
  return auditInsertMany([event]);
}

/** One insert of many events (at least one), not yet sent: the events as one jsonb parameter (recordsInsert). */
export function auditInsertMany(events: readonly AuditEvent[]): SQL {
  return recordsInsert(auditEvents, events.map(toRow));
}

const MAX_PENDING = 50_000;
const RETRY_MS = 2_000;

export interface AuditLogOptions {
  /** Most events held before a flush is forced. */
  maxBatch?: number;
  /** Longest an event waits in memory. */
  flushIntervalMs?: number;
  onError?: (error: unknown) => void;
  /**
   * Events that could not be written when the log closed (the database was
   * unreachable): the last place they can go, such as the error log. Events
   * hold no content (sanitizeDetails), so they may be logged.
   */
  onUnwritten?: (events: readonly AuditEvent[], error: unknown) => void;
}

/** Where resolvers append events: the shared AuditLog, or one request's view of it. */
export interface AuditAppender {
  append(event: AuditEvent): void;
}

/** One request's view of the log: events that name no reason get the request's access reason. */
export function withAccessReason(log: AuditAppender, reason: string | null): AuditAppender {
  if (reason === null) return log;
  return { append: (event) => log.append(event.reason ? event : { ...event, reason }) };
}

/**
 * Reads and refused attempts are audited outside the request's transaction
 * (a refused write rolls back), batched into one insert per interval so a
 * read costs no extra round trip.
 */
export class AuditLog implements AuditAppender {
  private pending: AuditEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  /** close() was called: a failed write is no longer retried later. */
  private closing = false;
  /** close() finished: an event appended now is written at once or handed to onUnwritten. */
  private closed = false;
  private lastError: unknown;
  private readonly maxBatch: number;
  private readonly flushIntervalMs: number;

  constructor(
    private readonly db: Db,
    private readonly options: AuditLogOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 500;
    this.flushIntervalMs = options.flushIntervalMs ?? 200;
  }

  append(event: AuditEvent): void {
    this.pending.push(event);
    if (this.pending.length >= this.maxBatch || this.closed) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.flushIntervalMs);
  }

  /** Writes everything appended so far (after any write already under way). */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.flushing = this.flushing.then(() => this.writePending());
    return this.flushing;
  }

  private async writePending(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    try {
      await this.db.execute(auditInsertMany(batch));
    } catch (error) {
      if (this.closed) {
        // Appended after close: no later flush will come.
        this.options.onUnwritten?.(batch, error);
        return;
      }
      // Kept for the next flush (bounded, so a long outage cannot exhaust memory).
      this.pending = [...batch, ...this.pending].slice(-MAX_PENDING);
      this.lastError = error;
      this.options.onError?.(error);
      if (!this.closing) this.timer ??= setTimeout(() => void this.flush(), RETRY_MS);
    }
  }

  /**
   * Tries what is pending once more; what still cannot be written goes to
   * `onUnwritten`. No retry outlives it.
   */
  async close(): Promise<void> {
    this.closing = true;
    await this.flush();
    this.closed = true;
    if (this.pending.length > 0) {
      const unwritten = this.pending;
      this.pending = [];
      this.options.onUnwritten?.(unwritten, this.lastError);
    }
  }
}
