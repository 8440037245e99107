import { backoffDelay } from './backoff.js';
import { inTransaction, type ClientCore } from './core.js';
import type { AnyEntity } from './entities.js';
import { failureHandling, SdkError, toSdkError } from './errors.js';
import { entityKey, type OutboxEntry } from './outbox.js';
import { fetchServerCopy, sendWrite, type SendOutcome } from './outbox-sender.js';
import { applyServerCopy, settleWithServerCopy } from './server-copies.js';

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

/** `moved`: sent, and later writes now target another id (a merged pattern). */
type Outcome = 'sent' | 'moved' | 'rejected' | 'conflict' | 'retry' | 'stop';

/** Entries read from the outbox at a time. */
const WINDOW = 1000;

/**
 * Sends the outbox (ARCHITECTURE §6): oldest first, one write per entity at a
 * time (and after the entities it depends on), up to `flushConcurrency`
 * entities at once. An entry leaves the outbox in the same SQLite
 * transaction that stores the server's answer; a crash in between resends
 * it with the same idempotency key, which the server answers as a replay.
 */
export class Flusher {
  private consecutiveFailures = 0;
  /** Until when automatic flushes wait after the gateway was unreachable or refused the token. */
  pausedUntil = 0;

  constructor(private readonly core: ClientCore) {}

  async run(force: boolean): Promise<FlushResult> {
    const { core } = this;
    const result: FlushResult = { sent: 0, rejected: 0, conflicts: 0, remaining: 0, stoppedBy: null, nextRetryAt: null };
    if (!force && this.pausedUntil > core.now()) return this.finish(result);

    const inFlight = new Map<number, string>();
    const triedThisRun = new Set<number>();
    const tasks = new Set<Promise<void>>();
    let window: OutboxEntry[] = [];
    let reload = true;
    let progress = false;
    let stop = false;

    const pick = (): OutboxEntry | undefined => {
      const blocked = new Set(inFlight.values());
      const now = core.now();
      for (const entry of window) {
        if (inFlight.has(entry.seq)) continue;
        const key = entityKey(entry.write.kind, entry.write.id);
        const waits = blocked.has(key) || entry.deps.some((d) => blocked.has(d)) || triedThisRun.has(entry.seq) || (!force && entry.nextAttemptAt > now);
        blocked.add(key);
        if (!waits) return entry;
      }
      return undefined;
    };

    while (!stop) {
      if (reload) {
        window = core.outbox.list(WINDOW);
        reload = false;
        progress = false;
      }
      while (!stop && inFlight.size < core.options.flushConcurrency) {
        const entry = pick();
        if (!entry) break;
        inFlight.set(entry.seq, entityKey(entry.write.kind, entry.write.id));
        triedThisRun.add(entry.seq);
        const task = this.sendOne(entry, result).then((outcome) => {
          inFlight.delete(entry.seq);
          if (outcome === 'stop') stop = true;
          if (outcome !== 'retry' && outcome !== 'stop') {
            progress = true;
            window = window.filter((e) => e.seq !== entry.seq);
          }
          // A conflict takes the entity's later writes out of the queue; a merge gives them another id.
          if (outcome === 'conflict' || outcome === 'moved') reload = true;
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
    result.remaining = this.core.outbox.count();
    if (result.remaining > 0) {
      const next = this.core.db.prepare('SELECT min(next_attempt_at) AS t FROM outbox').get() as { t: number | null };
      result.nextRetryAt = Math.max(this.pausedUntil, next.t ?? 0) || null;
    }
    return result;
  }

  private async sendOne(entry: OutboxEntry, result: FlushResult): Promise<Outcome> {
    let outcome: SendOutcome;
    try {
      outcome = await sendWrite(this.core.transport, entry);
    } catch (err) {
      const error = toSdkError(err);
      // A rate limit holds for every queued write: this one stays as it is, and the queue waits at least `retryAfter`.
      if (error.code === 'RATE_LIMITED') {
        this.pause(error, result);
        return 'stop';
      }
      switch (failureHandling(error)) {
        case 'conflict':
          await this.setAsideConflict(entry, error);
          result.conflicts++;
          return 'conflict';
        case 'reject':
          await this.reject(entry, error);
          result.rejected++;
          return 'rejected';
        case 'pause':
          this.pause(error, result);
          return 'stop';
        case 'retry': {
          const { options } = this.core;
          const inARow = this.core.outbox.markFailed(entry.seq, error.code, error.message, this.core.now() + backoffDelay(entry.attempts, options.backoffBaseMs, options.backoffMaxMs));
          // INTERNAL is a server bug, not an outage (that is UNAVAILABLE): one that repeats would block the entity's later writes for good.
          if (error.code === 'INTERNAL' && inARow >= options.maxInternalAttempts) {
            await this.reject(entry, new SdkError('INTERNAL', `The server answered INTERNAL ${inARow} times in a row: ${error.message}`, error.details, { cause: error }));
            result.rejected++;
            return 'rejected';
          }
          // Nothing else will get through either: wait, as for a gateway that cannot be reached.
          if (error.code === 'NETWORK_ERROR' || error.code === 'UNAVAILABLE') {
            this.pause(error, result);
            return 'stop';
          }
          return 'retry';
        }
      }
    }
    this.consecutiveFailures = 0;
    this.pausedUntil = 0;
    const moved = this.settle(entry, outcome);
    result.sent++;
    return moved ? 'moved' : 'sent';
  }

  private pause(error: SdkError, result: FlushResult): void {
    // Never sooner than the server asked (`retryAfter` seconds, on RATE_LIMITED).
    const retryAfterMs = typeof error.details.retryAfter === 'number' && error.details.retryAfter > 0 ? error.details.retryAfter * 1000 : 0;
    this.pausedUntil = this.core.now() + Math.max(backoffDelay(this.consecutiveFailures, this.core.options.backoffBaseMs, this.core.options.backoffMaxMs), retryAfterMs);
    this.consecutiveFailures++;
    result.stoppedBy = error;
  }

  /** The server took the write: drop it from the outbox and keep the server's copy, in one transaction. Returns whether the entity's id changed. */
  private settle(entry: OutboxEntry, outcome: SendOutcome): boolean {
    const { core } = this;
    const { kind, id } = entry.write;
    const moved = outcome.type === 'entity' && outcome.entity.id !== id;
    inTransaction(core, () => {
      core.outbox.remove(entry.seq);
      if (outcome.type === 'deleted') {
        if (!core.outbox.hasPending(kind, id)) core.store.remove(kind, id);
      } else {
        if (moved) {
          // recordPattern merged the lesson into an existing pattern: later writes follow it.
          core.outbox.rekey(kind, id, outcome.entity.id);
          core.store.remove(kind, id);
        }
        settleWithServerCopy(core, kind, outcome.entity);
      }
      core.metadata.set('last-push-at', new Date(core.now()).toISOString());
    });
    return moved;
  }

  /** CONFLICT: central wins. The cache takes the server copy; this and later writes of the entity wait in `conflicts`. */
  private async setAsideConflict(entry: OutboxEntry, error: SdkError): Promise<void> {
    const { core } = this;
    const { kind, id } = entry.write;
    let server: AnyEntity | null = null;
    try {
      server = await fetchServerCopy(core.transport, kind, id);
    } catch {
      server = null; // the conflict is recorded all the same; the next read or pull brings the copy
    }
    const currentVersion = error.details.currentVersion;
    const record = inTransaction(core, () => {
      const taken = core.outbox.takeEntity(kind, id);
      const writes = taken.some((e) => e.seq === entry.seq) ? taken.map((e) => e.write) : [entry.write, ...taken.map((e) => e.write)];
      const added = core.conflicts.add(
        {
          kind,
          entityId: id,
          localWrites: writes,
          baseVersion: entry.write.op === 'update' ? entry.write.baseVersion : null,
          serverVersion: server?.version ?? (typeof currentVersion === 'number' ? currentVersion : null),
          serverEntity: server,
          message: error.message,
        },
        core.now(),
      );
      if (server) core.store.put(kind, server, 'conflict');
      else core.store.remove(kind, id);
      return added;
    });
    core.events.emit('conflict', record);
  }

  /** A permanent refusal: the write moves to `rejected` with the reason, and the queue goes on. */
  private async reject(entry: OutboxEntry, error: SdkError): Promise<void> {
    const { core } = this;
    const { kind, id } = entry.write;
    const record = inTransaction(core, () => {
      core.outbox.remove(entry.seq);
      const added = core.rejected.add(entry, error.code, error.message, core.now());
      // The local copy showed a change the server never accepted.
      if (!core.outbox.hasPending(kind, id)) core.store.remove(kind, id);
      return added;
    });
    core.events.emit('rejected', record);
    try {
      const server = await fetchServerCopy(core.transport, kind, id);
      if (server) applyServerCopy(core, kind, server);
    } catch {
      // best effort: a later read or pull brings the server copy back
    }
  }
}
