import { EventEmitter } from 'node:events';
import { resolve } from 'node:path';
import { createRedactor, loadPrivacyConfig } from '@memory-context/privacy';
import { LocalStore } from './cache/local-store.js';
import { checkpointsApi, type CheckpointsApi } from './checkpoints-api.js';
import type { ClientContext } from './client-context.js';
import { systemClock, type Clock } from './clock.js';
import { resolveClientOptions, type ClientOptions, type ResolvedOptions } from './config.js';
import { resolveConflict, type ConflictRecord, type Resolution } from './conflicts.js';
import { SdkError, isSdkError, isUnreachable, toSdkError, type SdkErrorCode } from './errors.js';
import type { ClientEvents } from './events.js';
import { Flusher, type FlushResult } from './flusher.js';
import { exportPending, importPending, type ExportedPending, type ImportResult } from './outbox-transfer.js';
import { patternsApi, type PatternsApi } from './patterns-api.js';
import { emptyPullResult, pull, type PullProgress, type PullResult } from './puller.js';
import { reachability, type Reachability } from './reachability.js';
import { retryRejected, type RejectedWrite } from './rejected.js';
import { Remote } from './remote.js';
import { search, type SearchOptions, type SearchResult } from './search.js';
import { sessionsApi, type SessionsApi } from './sessions-api.js';
import { readTokenClaims } from './token-claims.js';
import { createTransport, type Transport } from './transport.js';

export interface ClientStatus {
  /** Writes queued for the gateway. */
  pending: number;
  rejected: number;
  conflicts: number;
  lastPullAt: string | null;
  lastPushAt: string | null;
  /** Whether the last gateway request got an answer (null: none made yet). */
  online: boolean | null;
  /** Why the gateway cannot be asked, as the last request found (null: it answered, or none was made and a URL and token are set). */
  offlineReason: string | null;
  offlineCode: SdkErrorCode | null;
  /** When queued writes are retried next, if they wait for a backoff. */
  nextRetryAt: string | null;
  submoduleId: string | null;
  url: string | null;
  cachePath: string;
}

/** `flush()`'s result: what was sent, and whether the gateway could be asked. */
export type FlushOutcome = FlushResult & Reachability;
/** `pull()`'s result: what was applied, and whether the gateway could be asked. */
export type PullOutcome = PullResult & Reachability;

/** `sync()`'s result: `online`, `reason` and `code` speak for the whole call. */
export interface SyncResult extends Reachability {
  pushed: FlushOutcome;
  /** Empty (`pages: 0`, `pulledAt: null`) when the push already found the gateway unreachable. */
  pulled: PullOutcome;
}

export interface ConflictsApi {
  list(): ConflictRecord[];
  get(id: string): ConflictRecord | undefined;
  /** `reapply` queues the local change again on top of the server copy; `discard` drops it. */
  resolve(id: string, resolution: Resolution): Promise<ConflictRecord>;
}

export interface RejectedApi {
  list(): RejectedWrite[];
  /** Queues the write again, once its cause is fixed. */
  retry(id: string): Promise<void>;
  discard(id: string): void;
}

export interface OutboxApi {
  /** Pending writes, conflicts, rejected writes and EPHEMERAL entities, as a JSON-ready object (and to `file` if given). */
  export(file?: string): ExportedPending;
  /** Queues exported writes again (same idempotency keys: nothing reaches the server twice). */
  import(file: string): ImportResult;
}

export interface MemoryClient extends EventEmitter<ClientEvents> {
  readonly sessions: SessionsApi;
  readonly patterns: PatternsApi;
  readonly checkpoints: CheckpointsApi;
  readonly conflicts: ConflictsApi;
  readonly rejected: RejectedApi;
  readonly outbox: OutboxApi;
  readonly options: Readonly<ResolvedOptions>;
  /** The gateway's search (hybrid by default); offline, FTS5 over the cache (`source: 'cache'`, `stale: true`). */
  search(query: string, options?: SearchOptions): Promise<SearchResult>;
  /** Pulls the change feeds into the cache. Offline it resolves with `online: false` and the reason; it never throws for the network. */
  pull(options?: { onProgress?: (progress: PullProgress) => void }): Promise<PullOutcome>;
  /** Sends the outbox now (ignoring any backoff), then pulls. Offline it resolves with `online: false` and the reason. */
  sync(options?: { onProgress?: (progress: PullProgress) => void }): Promise<SyncResult>;
  /**
   * Sends the outbox now, ignoring any backoff. Resolves when the queue is
   * empty or the gateway stopped answering (`online: false` and the reason).
   */
  flush(): Promise<FlushOutcome>;
  status(): ClientStatus;
  /** Stops background work, waits for a running flush or pull, closes the cache. */
  close(): Promise<void>;
}

/** Seams for tests: the HTTP client and the clock (every time the client reads or stores comes from `now`). */
export interface ClientDependencies {
  fetch?: typeof fetch;
  now?: () => number;
}

class Client extends EventEmitter<ClientEvents> implements MemoryClient {
  readonly sessions: SessionsApi;
  readonly patterns: PatternsApi;
  readonly checkpoints: CheckpointsApi;
  readonly conflicts: ConflictsApi;
  readonly rejected: RejectedApi;
  readonly outbox: OutboxApi;
  readonly options: Readonly<ResolvedOptions>;

  private readonly core: ClientContext;
  private readonly clock: Clock;
  private readonly flusher: Flusher;
  private readonly cachePath: string;
  private online: boolean | null = null;
  /** The last request that could not reach the gateway, until one gets an answer. */
  private lastUnreachable: SdkError | null = null;
  private alerted = false;
  /** Automatic flushes in a row that found the gateway unreachable (bounded by retryAttempts). */
  private autoRetries = 0;
  private closed = false;
  private flushing: Promise<FlushOutcome> | undefined;
  private pulling: Promise<PullOutcome> | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private flushTimerAt = 0;
  private readonly pullTimer: NodeJS.Timeout | undefined;
  private readonly maintenanceTimer: NodeJS.Timeout;

  constructor(input: ClientOptions, deps: ClientDependencies) {
    super();
    const options = resolveClientOptions(input);
    this.options = Object.freeze(options);
    this.cachePath = options.cachePath === ':memory:' ? ':memory:' : resolve(options.cachePath);
    this.clock = deps.now ? { now: deps.now } : systemClock;
    const store = LocalStore.open(this.cachePath, { durability: options.durability, integrityCheck: options.integrityCheck }, this.clock);
    try {
      const fromToken = readTokenClaims(options.token).submoduleId;
      const owner = store.metadata.get('submodule');
      if (fromToken && owner && owner !== fromToken) {
        throw new SdkError(
          'INVALID_OPTIONS',
          `The cache ${this.cachePath} belongs to submodule "${owner}", and the token is for "${fromToken}". Give each submodule its own cachePath (or leave it unset: the default is one file per submodule).`,
          { owner, tokenSubmodule: fromToken },
        );
      }
      if (fromToken && !owner) store.metadata.set('submodule', fromToken);
      this.core = {
        store,
        remote: new Remote(
          this.watched(
            createTransport({
              url: options.url,
              token: options.token,
              timeoutMs: options.requestTimeoutMs,
              accessReason: options.accessReason,
              onReachability: (r) => this.reachability(r),
              ...(deps.fetch ? { fetch: deps.fetch } : {}),
            }),
          ),
        ),
        clock: this.clock,
        redactor: createRedactor(loadPrivacyConfig(options.privacyConfigPath)),
        options,
        submoduleId: fromToken ?? owner ?? '',
        afterWrite: () => this.afterWrite(),
        unreachable: () => this.lastUnreachable,
      };
    } catch (err) {
      store.close();
      throw err;
    }
    if (!options.url || !options.token) this.lastUnreachable = new SdkError('NOT_CONFIGURED', 'No gateway URL or token is configured (MEMCTX_URL, MEMCTX_TOKEN, or `memctx login`); working from the cache.');
    this.flusher = new Flusher(
      { store, remote: this.core.remote, clock: this.clock, options },
      { onConflict: (record) => this.emit('conflict', record), onRejected: (record) => this.emit('rejected', record) },
    );
    const open = () => this.assertOpen();
    this.sessions = guardAsync(sessionsApi(this.core), open);
    this.patterns = guardAsync(patternsApi(this.core), open);
    this.checkpoints = guardAsync(checkpointsApi(this.core), open);
    const core = this.core;
    this.conflicts = {
      list: () => {
        open();
        return core.store.conflicts.list();
      },
      get: (id) => {
        open();
        return core.store.conflicts.get(id);
      },
      resolve: async (id, resolution) => {
        open();
        return resolveConflict(core, id, resolution);
      },
    };
    this.rejected = {
      list: () => {
        open();
        return core.store.rejected.list();
      },
      retry: async (id) => {
        open();
        return retryRejected(core, id);
      },
      discard: (id) => {
        open();
        core.store.rejected.remove(id);
      },
    };
    this.outbox = {
      export: (file) => {
        open();
        return exportPending(core.store, this.cachePath, file);
      },
      import: (file) => {
        open();
        const result = importPending(core.store, this.clock, file);
        this.afterWrite();
        return result;
      },
    };
    if (options.pullIntervalMs > 0 && options.url && options.token) {
      this.pullTimer = setInterval(() => void this.pull().catch((err: unknown) => this.backgroundError(err)), options.pullIntervalMs);
      this.pullTimer.unref();
    }
    this.maintenanceTimer = setInterval(() => this.maintain(), options.maintenanceIntervalMs);
    this.maintenanceTimer.unref();
    if (options.pushOnWrite && store.outbox.count() > 0) this.scheduleFlush(0);
  }

  /** Off the write path: record reads for LRU, fold the WAL into the cache file. */
  private maintain(): void {
    if (this.closed) return;
    try {
      this.core.store.maintain();
    } catch (err) {
      this.emit('sync-error', toSdkError(err));
    }
  }

  async search(query: string, options: SearchOptions = {}): Promise<SearchResult> {
    this.assertOpen();
    return search(this.core, query, options);
  }

  async pull(options: { onProgress?: (progress: PullProgress) => void } = {}): Promise<PullOutcome> {
    this.assertOpen();
    const { store, remote } = this.core;
    this.pulling ??= pull({ store, remote, clock: this.clock, options: this.options }, options.onProgress ? { onProgress: options.onProgress } : {})
      .then((result) => {
        if (result.stoppedBy) this.emit('sync-error', result.stoppedBy);
        else this.emit('synced', result);
        return { ...result, ...reachability(result.stoppedBy, this.lastUnreachable) };
      })
      .finally(() => {
        this.pulling = undefined;
      });
    return this.pulling;
  }

  async sync(options: { onProgress?: (progress: PullProgress) => void } = {}): Promise<SyncResult> {
    const pushed = await this.flush();
    // A push stopped by the gateway (unreachable, token refused) would stop the pull the same way.
    const pulled = pushed.stoppedBy ? { ...emptyPullResult(pushed.stoppedBy), ...reachability(pushed.stoppedBy, null) } : await this.pull(options);
    return { ...reachability(pushed.stoppedBy ?? pulled.stoppedBy, null), pushed, pulled };
  }

  async flush(): Promise<FlushOutcome> {
    return this.runFlush(true);
  }

  status(): ClientStatus {
    this.assertOpen();
    const { core } = this;
    const { store } = core;
    const next = this.flusher.pausedUntil > this.clock.now() ? this.flusher.pausedUntil : 0;
    return {
      pending: store.outbox.count(),
      rejected: store.rejected.count(),
      conflicts: store.conflicts.count(),
      lastPullAt: store.metadata.get('last-pull-at') ?? null,
      lastPushAt: store.metadata.get('last-push-at') ?? null,
      online: this.online,
      offlineReason: this.lastUnreachable?.message ?? null,
      offlineCode: this.lastUnreachable?.code ?? null,
      nextRetryAt: next ? new Date(next).toISOString() : null,
      submoduleId: core.submoduleId || null,
      url: this.options.url ?? null,
      cachePath: this.cachePath,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.pullTimer);
    clearInterval(this.maintenanceTimer);
    clearTimeout(this.flushTimer);
    await Promise.allSettled([this.flushing, this.pulling]);
    this.core.store.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new SdkError('CLIENT_CLOSED', 'The client is closed; create a new one with createClient().');
  }

  /** Remembers whether the gateway could be asked, for calls that make no request of their own. */
  private watched(transport: Transport): Transport {
    return {
      request: async (document, variables) => {
        try {
          const data = await transport.request(document, variables);
          this.lastUnreachable = null;
          return data;
        } catch (err) {
          this.lastUnreachable = isSdkError(err) && isUnreachable(err) ? err : null;
          throw err;
        }
      },
    };
  }

  /** A timer's flush or pull failed in a way no result could carry (the cache file, a bug). */
  private backgroundError(err: unknown): void {
    if (!this.closed) this.emit('sync-error', toSdkError(err));
  }

  private runFlush(force: boolean): Promise<FlushOutcome> {
    if (this.closed) return Promise.reject(new SdkError('CLIENT_CLOSED', 'The client is closed; create a new one with createClient().'));
    const previous = this.flushing ?? Promise.resolve(undefined);
    const run = previous
      .catch(() => undefined)
      .then(() => this.flusher.run(force))
      .then((result) => {
        if (result.sent + result.rejected + result.conflicts > 0) this.emit('flushed', result);
        if (result.stoppedBy) this.emit('sync-error', result.stoppedBy);
        this.checkAlert(result.remaining >= this.options.pendingAlertThreshold, result.remaining);
        const unreachable = result.stoppedBy !== null && isUnreachable(result.stoppedBy);
        if (unreachable && !force) this.autoRetries++;
        else if (!unreachable && (result.remaining === 0 || result.sent + result.rejected + result.conflicts > 0)) this.autoRetries = 0;
        // After retryAttempts automatic retries in a row, the queue waits for the next pull, write, sync() or flush().
        const retry = !unreachable || this.autoRetries <= this.options.retryAttempts;
        if (result.remaining > 0 && result.nextRetryAt !== null && this.options.pushOnWrite && retry) this.scheduleFlush(result.nextRetryAt - this.clock.now());
        return { ...result, ...reachability(result.stoppedBy, this.lastUnreachable) };
      })
      .finally(() => {
        if (this.flushing === run) this.flushing = undefined;
      });
    this.flushing = run;
    return run;
  }

  /** One timer for automatic flushes: push on write now, or retry when the backoff ends. */
  private scheduleFlush(delayMs: number): void {
    if (this.closed) return;
    const now = this.clock.now();
    const at = now + Math.max(0, delayMs, this.flusher.pausedUntil - now);
    if (this.flushTimer && this.flushTimerAt <= at) return;
    clearTimeout(this.flushTimer);
    this.flushTimerAt = at;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      void this.runFlush(false).catch((err: unknown) => this.backgroundError(err));
    }, at - now);
    this.flushTimer.unref();
  }

  /** See inOneLocalTransaction. */
  inLocalTransaction<T>(fn: () => T): T {
    this.assertOpen();
    return this.core.store.transaction(fn);
  }

  private afterWrite(): void {
    const threshold = this.options.pendingAlertThreshold;
    const { outbox } = this.core.store;
    const reached = outbox.atLeast(threshold);
    if (reached !== this.alerted) this.checkAlert(reached, reached ? outbox.count() : 0);
    if (this.options.pushOnWrite) this.scheduleFlush(0);
  }

  /** Emits 'pending-alert' when the queue reaches the threshold, once until it drops below again. */
  private checkAlert(reached: boolean, pending: number): void {
    if (reached && !this.alerted) this.emit('pending-alert', { pending, threshold: this.options.pendingAlertThreshold });
    this.alerted = reached;
  }

  private reachability(reachable: boolean): void {
    if (this.online === reachable) return;
    const cameBack = reachable && this.online === false;
    this.online = reachable;
    this.emit('online', reachable);
    // The gateway answered again: queued writes need not wait out their backoff.
    if (cameBack && this.options.pushOnWrite && !this.closed && this.core.store.outbox.count() > 0) {
      void this.runFlush(true).catch((err: unknown) => this.backgroundError(err));
    }
  }
}

/** Every method of a namespace first checks the client is open: CLIENT_CLOSED, as a rejection like any other failure. */
function guardAsync<T extends object>(api: T, assertOpen: () => void): T {
  const guarded: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(api)) {
    guarded[name] =
      typeof method === 'function'
        ? async (...args: unknown[]) => {
            assertOpen();
            return (method as (...a: unknown[]) => unknown)(...args);
          }
        : method;
  }
  return guarded as T;
}

/**
 * Runs `fn` with the cache's writes in one SQLite transaction (the import
 * groups a chunk's local writes so that they commit once). The client's
 * write methods do their local part before their first await, so writes
 * started inside `fn` land in it. Another MemoryClient runs `fn` as it is.
 */
export function inOneLocalTransaction<T>(client: MemoryClient, fn: () => T): T {
  return client instanceof Client ? client.inLocalTransaction(fn) : fn();
}

/**
 * Opens the cache (creating it if needed) and returns a client. Throws
 * SdkError CACHE_CORRUPT / CACHE_FOREIGN / CACHE_TOO_NEW for a cache file it
 * cannot use (see rebuildCache), INVALID_OPTIONS for bad options.
 */
export function createClient(options: ClientOptions = {}, deps: ClientDependencies = {}): MemoryClient {
  return new Client(options, deps);
}
