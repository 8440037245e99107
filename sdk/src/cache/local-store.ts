import type { Database } from 'better-sqlite3';
import type { Clock } from '../clock.js';
import type { AnyEntity, EntityKind } from '../entities.js';
import type { ConflictRecord, RejectedWrite } from '../set-aside.js';
import { EntityStore } from './entity-store.js';
import { evict, type EvictionLimits } from './eviction.js';
import { Metadata } from './metadata.js';
import { openCache, type OpenCacheOptions } from './open-cache.js';
import { Outbox } from './outbox-table.js';
import { collectPending, type ExportedPending } from './pending-export.js';
import { Resync } from './resync.js';
import { searchCache, type LocalHit, type LocalSearch } from './search-index.js';
import { conflictsTable, rejectedTable, type SetAsideTable } from './set-aside-table.js';
import { transaction } from './transaction.js';

/**
 * The cache file behind one interface: every SQLite table (entities, outbox,
 * conflicts, rejected, metadata) and the rules that span them. Nothing
 * outside `cache/` runs SQL; what must change together runs in
 * `transaction()`.
 */
export class LocalStore {
  readonly entities: EntityStore;
  readonly outbox: Outbox;
  readonly conflicts: SetAsideTable<ConflictRecord>;
  readonly rejected: SetAsideTable<RejectedWrite>;
  readonly metadata: Metadata;
  readonly resync: Resync;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {
    const now = () => clock.now();
    this.entities = new EntityStore(db, now);
    this.outbox = new Outbox(db, now);
    this.conflicts = conflictsTable(db);
    this.rejected = rejectedTable(db);
    this.metadata = new Metadata(db);
    this.resync = new Resync(db);
  }

  /** Opens (or creates) the cache file; throws CACHE_* errors for a file it cannot use (open-cache.ts). */
  static open(path: string, options: OpenCacheOptions, clock: Clock): LocalStore {
    const db = openCache(path, options);
    try {
      return new LocalStore(db, clock);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  /** Runs `fn` in one SQLite transaction: everything it changes commits together or not at all. */
  transaction<T>(fn: () => T): T {
    return transaction(this.db, fn);
  }

  /**
   * A server copy from a pull or a read: central wins, except over a row
   * with a local change still queued (the flusher settles it when the write
   * is answered) or an EPHEMERAL row. Returns whether the row was written.
   */
  applyServerCopy(kind: EntityKind, entity: AnyEntity): boolean {
    if (this.outbox.hasPending(kind, entity.id)) return false;
    return this.entities.putServerCopy(kind, entity);
  }

  /** A tombstone or a lost access: the copy goes, unless a local change is queued for it. */
  applyServerDeletion(kind: EntityKind, id: string): boolean {
    if (this.outbox.hasPending(kind, id)) return false;
    return this.entities.removeServerCopy(kind, id);
  }

  /** The server's answer to the last queued write of an entity: it replaces the local copy. */
  settleWithServerCopy(kind: EntityKind, entity: AnyEntity): void {
    if (this.outbox.hasPending(kind, entity.id)) return;
    this.entities.put(kind, entity, this.conflicts.has(kind, entity.id) ? 'conflict' : 'synced');
  }

  /** Drops the rows a finished resync did not see again (cache/resync.ts); returns how many. */
  finishResync(kind: EntityKind): number {
    const removed = this.resync.finish(kind);
    if (removed > 0) this.entities.truncateWalSoon();
    return removed;
  }

  /** Keeps the cache within its limits (cache/eviction.ts). */
  evict(limits: EvictionLimits): Record<EntityKind, number> {
    this.entities.flushTouches();
    return evict(this.db, limits, this.clock.now());
  }

  search(text: string, options: LocalSearch = {}): LocalHit[] {
    return searchCache(this.db, text, options);
  }

  /** Pending writes, conflicts, rejected writes and EPHEMERAL entities (outbox-transfer.ts). */
  collectPending(cachePath: string): ExportedPending {
    return collectPending(this.db, cachePath, this.clock.now());
  }

  /** Off the write path: record reads for LRU, fold the WAL into the cache file. */
  maintain(): void {
    this.entities.flushTouches();
    this.db.pragma('wal_checkpoint(PASSIVE)');
  }

  close(): void {
    this.entities.flushTouches();
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }
}
