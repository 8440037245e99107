import { v7 as uuidv7 } from 'uuid';
import { backoffDelay } from './backoff.js';
import type { LocalStore } from './cache/local-store.js';
import { isoNow, type Clock } from './clock.js';
import type { ResolvedOptions } from './config.js';
import type { AnyEntity } from './entities.js';
import { failureHandling, SdkError } from './errors.js';
import type { Remote, WriteAnswer } from './remote.js';
import type { ConflictRecord, RejectedWrite } from './set-aside.js';
import { entityKey, type OutboxEntry } from './writes.js';

export interface FlushResult {
  sent: number;
  rejected: number;
  conflicts: number;
  /** Writes still queued. */
  remaining: number;
  /** Why the flush stopped with writes left: the gateway, a subgraph or the database unreachable, or the token refused. */
  stoppedBy: SdkError | null;
  /** When the next queued write may be retried (ms since the epoch), if one waits. */
  nextRetryAt: number | null;
}

export type FlusherOptions = Pick<ResolvedOptions, 'flushConcurrency' | 'pushBatchSize' | 'backoffBaseMs' | 'backoffMaxMs' | 'maxInternalAttempts'>;

export interface FlusherParts {
  store: LocalStore;
  remote: Remote;
  clock: Clock;
  options: FlusherOptions;
}

/** How the flusher reports what it set aside; the client turns these into events. */
export interface FlusherCallbacks {
  onConflict?: (record: ConflictRecord) => void;
  onRejected?: (record: RejectedWrite) => void;
}

/** What one push did to the queue. */
interface BatchOutcome {
  /** Entries that left the outbox (sent, rejected or set aside). */
  done: Set<number>;
  /** The queue changed beyond these entries (a conflict took an entity's later writes; a merge re-keyed them). */
  reload: boolean;
  stop: boolean;
}

/** Entries read from the outbox at a time. */
const WINDOW = 1000;
/**
 * Most JSON characters of queued writes in one push, well under the
 * gateway's body limit (MEMCTX_MAX_BODY_BYTES, 8 MiB by default); a larger
 * write goes alone.
 */
const MAX_BATCH_CHARS = 1024 * 1024;

/**
 * Sends the outbox (ARCHITECTURE §6) in batches: oldest first, at most one
 * write per entity in a batch and never before the writes it depends on
 * (a pattern's source sessions), up to `flushConcurrency` batches in flight.
 * Each answered write leaves the outbox in the transaction that stores the
 * server's copy (one transaction per batch); a crash in between resends it
 * with the same idempotency key, which the server answers as a replay, so an
 * interrupted batch is safe to send again.
 */
export class Flusher {
  private consecutiveFailures = 0;
  /** Until when automatic flushes wait after the gateway was unreachable or refused the token. */
  pausedUntil = 0;

  constructor(
    private readonly parts: FlusherParts,
    private readonly callbacks: FlusherCallbacks = {},
  ) {}

  async run(force: boolean): Promise<FlushResult> {
    const { store, clock, options } = this.parts;
    const result: FlushResult = { sent: 0, rejected: 0, conflicts: 0, remaining: 0, stoppedBy: null, nextRetryAt: null };
    if (!force && this.pausedUntil > clock.now()) return this.finish(result);

    const inFlight = new Map<number, string>();
    const triedThisRun = new Set<number>();
    const tasks = new Set<Promise<void>>();
    let window: OutboxEntry[] = [];
    let reload = true;
    let progress = false;
    let stop = false;

    const pickBatch = (): OutboxEntry[] => {
      const blocked = new Set(inFlight.values());
      const now = clock.now();
      const batch: OutboxEntry[] = [];
      let chars = 0;
      for (const entry of window) {
        if (batch.length >= options.pushBatchSize) break;
        if (inFlight.has(entry.seq)) continue;
        const key = entityKey(entry.write.kind, entry.write.id);
        const waits = blocked.has(key) || entry.deps.some((d) => blocked.has(d)) || triedThisRun.has(entry.seq) || (!force && entry.nextAttemptAt > now);
        // Whatever comes later for this entity waits for this entry's answer.
        blocked.add(key);
        if (waits) continue;
        const size = JSON.stringify(entry.write).length;
        if (batch.length > 0 && chars + size > MAX_BATCH_CHARS) break;
        batch.push(entry);
        chars += size;
      }
      return batch;
    };

    while (!stop) {
      if (reload) {
        window = store.outbox.list(WINDOW);
        reload = false;
        progress = false;
      }
      while (!stop && tasks.size < options.flushConcurrency) {
        const batch = pickBatch();
        if (batch.length === 0) break;
        for (const entry of batch) {
          inFlight.set(entry.seq, entityKey(entry.write.kind, entry.write.id));
          triedThisRun.add(entry.seq);
        }
        const task = this.sendBatch(batch, result).then((outcome) => {
          for (const entry of batch) inFlight.delete(entry.seq);
          if (outcome.stop) stop = true;
          if (outcome.done.size > 0) {
            progress = true;
            window = window.filter((e) => !outcome.done.has(e.seq));
          }
          if (outcome.reload) reload = true;
        });
        tasks.add(task);
        void task.finally(() => tasks.delete(task));
      }
      if (tasks.size === 0) {
        if (reload) continue;
        if (!progress || window.length > 0) break;
        reload = true; // the window is used up: look past it
        continue;
      }
      await Promise.race(tasks);
    }
    await Promise.all(tasks);
    return this.finish(result);
  }

  private finish(result: FlushResult): FlushResult {
    const { outbox } = this.parts.store;
    result.remaining = outbox.count();
    if (result.remaining > 0) result.nextRetryAt = Math.max(this.pausedUntil, outbox.nextAttemptAt() ?? 0) || null;
    return result;
  }

  private async sendBatch(batch: OutboxEntry[], result: FlushResult): Promise<BatchOutcome> {
    const { store, remote, clock, options } = this.parts;
    const answers = await remote.push(batch);
    const outcome: BatchOutcome = { done: new Set(), reload: false, stop: false };
    const answered = (i: number) => answers[i] as WriteAnswer;

    // Everything the server took is settled in one transaction.
    const applied = batch.flatMap((entry, i) => {
      const answer = answered(i);
      return answer.status === 'applied' ? [{ entry, entity: answer.entity }] : [];
    });
    if (applied.length > 0) {
      this.consecutiveFailures = 0;
      this.pausedUntil = 0;
      store.transaction(() => {
        for (const { entry, entity } of applied) {
          if (this.settle(entry, entity)) outcome.reload = true;
          outcome.done.add(entry.seq);
        }
        store.metadata.set('last-push-at', isoNow(clock));
      });
      result.sent += applied.length;
    }

    let paused = false;
    const pause = (error: SdkError) => {
      if (!paused) this.pause(error, result);
      paused = true;
      outcome.stop = true;
    };
    // Failed attempts of the whole batch are recorded in one transaction (with their backoff).
    const retries = new Map<number, number>();
    store.transaction(() => {
      for (const [i, entry] of batch.entries()) {
        const answer = answered(i);
        if (answer.status !== 'failed' || answer.error.code === 'RATE_LIMITED' || failureHandling(answer.error) !== 'retry') continue;
        const { code, message } = answer.error;
        retries.set(entry.seq, store.outbox.markFailed(entry.seq, code, message, clock.now() + backoffDelay(entry.attempts, options.backoffBaseMs, options.backoffMaxMs)));
      }
    });
    for (const [i, entry] of batch.entries()) {
      const answer = answered(i);
      if (answer.status === 'conflict') {
        this.setAsideConflict(entry, answer);
        result.conflicts++;
        outcome.done.add(entry.seq);
        outcome.reload = true;
      } else if (answer.status === 'failed') {
        const { error } = answer;
        // A rate limit holds for every queued write: this one stays as it is, and the queue waits at least `retryAfter`.
        if (error.code === 'RATE_LIMITED') {
          pause(error);
          continue;
        }
        switch (failureHandling(error)) {
          case 'conflict':
            this.setAsideConflict(entry, { status: 'conflict', entity: null, currentVersion: null, message: error.message });
            result.conflicts++;
            outcome.done.add(entry.seq);
            outcome.reload = true;
            break;
          case 'reject':
            await this.reject(entry, error);
            result.rejected++;
            outcome.done.add(entry.seq);
            break;
          case 'pause':
            pause(error);
            break;
          case 'retry': {
            const inARow = retries.get(entry.seq) ?? 1;
            // INTERNAL is a server bug, not an outage (that is UNAVAILABLE): one that repeats would block the entity's later writes for good.
            if (error.code === 'INTERNAL' && inARow >= options.maxInternalAttempts) {
              await this.reject(entry, new SdkError('INTERNAL', `The server answered INTERNAL ${inARow} times in a row: ${error.message}`, error.details, { cause: error }));
              result.rejected++;
              outcome.done.add(entry.seq);
            }
            // Nothing else will get through either: wait, as for a gateway that cannot be reached.
            if (error.code === 'NETWORK_ERROR' || error.code === 'UNAVAILABLE') pause(error);
            break;
          }
        }
      }
    }
    return outcome;
  }

  private pause(error: SdkError, result: FlushResult): void {
    const { clock, options } = this.parts;
    // Never sooner than the server asked (`retryAfter` seconds, on RATE_LIMITED).
    const retryAfterMs = typeof error.details.retryAfter === 'number' && error.details.retryAfter > 0 ? error.details.retryAfter * 1000 : 0;
    this.pausedUntil = clock.now() + Math.max(backoffDelay(this.consecutiveFailures, options.backoffBaseMs, options.backoffMaxMs), retryAfterMs);
    this.consecutiveFailures++;
    result.stoppedBy = error;
  }

  /**
   * The server took the write (inside the batch's transaction): it leaves the
   * outbox and the server's copy replaces the local one. Returns whether the
   * entity's id changed (recordPattern merged the lesson into an existing pattern).
   */
  private settle(entry: OutboxEntry, entity: AnyEntity | null): boolean {
    const { store } = this.parts;
    const { kind, id } = entry.write;
    store.outbox.remove(entry.seq);
    if (entity === null) {
      if (!store.outbox.hasPending(kind, id)) store.entities.remove(kind, id);
      return false;
    }
    const moved = entity.id !== id;
    if (moved) {
      // Later writes follow the pattern it was merged into.
      store.outbox.rekey(kind, id, entity.id);
      store.entities.remove(kind, id);
    }
    store.settleWithServerCopy(kind, entity);
    return moved;
  }

  /** CONFLICT: central wins. The cache takes the server copy; this and later writes of the entity wait in `conflicts`. */
  private setAsideConflict(entry: OutboxEntry, answer: Extract<WriteAnswer, { status: 'conflict' }>): void {
    const { store, clock } = this.parts;
    const { kind, id } = entry.write;
    const server = answer.entity;
    const record = store.transaction(() => {
      const taken = store.outbox.takeEntity(kind, id);
      const writes = taken.some((e) => e.seq === entry.seq) ? taken.map((e) => e.write) : [entry.write, ...taken.map((e) => e.write)];
      const conflict: ConflictRecord = {
        id: uuidv7(),
        kind,
        entityId: id,
        localWrites: writes,
        baseVersion: entry.write.op === 'update' ? entry.write.baseVersion : null,
        serverVersion: server?.version ?? answer.currentVersion,
        serverEntity: server,
        message: answer.message,
        detectedAt: isoNow(clock),
      };
      store.conflicts.add(conflict);
      if (server) store.entities.put(kind, server, 'conflict');
      else store.entities.remove(kind, id);
      return conflict;
    });
    this.callbacks.onConflict?.(record);
  }

  /** A permanent refusal: the write moves to `rejected` with the reason, and the queue goes on. */
  private async reject(entry: OutboxEntry, error: SdkError): Promise<void> {
    const { store, remote, clock } = this.parts;
    const { kind, id } = entry.write;
    const record = store.transaction(() => {
      store.outbox.remove(entry.seq);
      const rejected: RejectedWrite = {
        id: uuidv7(),
        kind,
        op: entry.write.op,
        entityId: id,
        idempotencyKey: entry.idempotencyKey,
        write: entry.write,
        code: error.code,
        reason: error.message,
        rejectedAt: isoNow(clock),
      };
      store.rejected.add(rejected);
      // The local copy showed a change the server never accepted.
      if (!store.outbox.hasPending(kind, id)) store.entities.remove(kind, id);
      return rejected;
    });
    this.callbacks.onRejected?.(record);
    try {
      const server = await remote.fetchEntity(kind, id);
      if (server) store.applyServerCopy(kind, server);
    } catch {
      // best effort: a later read or pull brings the server copy back
    }
  }
}
