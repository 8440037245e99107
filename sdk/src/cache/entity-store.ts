import type { Database, Statement } from 'better-sqlite3';
import { TABLE, type AnyEntity, type EntityKind, type EntityOf } from '../entities.js';
import { transaction } from './transaction.js';

/**
 * - `synced`: the server copy;
 * - `pending`: changed locally, a write is queued;
 * - `local`: EPHEMERAL, lives in this cache only;
 * - `conflict`: the server copy, while a local change waits in `conflicts`.
 */
export type SyncState = 'synced' | 'pending' | 'local' | 'conflict';

export interface CachedEntity<K extends EntityKind> {
  entity: EntityOf[K];
  syncState: SyncState;
  version: number;
}

/** Conditions a cached list can apply; each kind's API maps its GraphQL filter onto these. */
export interface LocalFilter {
  submodules?: readonly string[] | null | undefined;
  privacyLevels?: readonly string[] | null | undefined;
  tags?: readonly string[] | null | undefined;
  /** Sort key at or after (ISO-8601). */
  from?: string | null | undefined;
  /** Sort key before (ISO-8601). */
  to?: string | null | undefined;
  /** Equality on top-level JSON fields of the entity, such as `kind` or `gitRef`. */
  fields?: Record<string, readonly (string | number)[]>;
  /** Lower bounds on numeric JSON fields, such as `occurrences`. */
  atLeast?: Record<string, number>;
  syncStates?: readonly SyncState[];
}

export type LocalOrder = { by: 'sort' } | { by: 'field'; field: string };

interface Row {
  data: string;
  sync_state: SyncState;
  version: number;
}

interface Statements {
  get: Statement<[string], Row>;
  touch: Statement<[number, string]>;
  upsert: Statement<[string, string, string, number, string, string, string, number, number]>;
  setState: Statement<[string, string]>;
  remove: Statement<[string]>;
  count: Statement<[], { n: number }>;
}

function toIso(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

/** The three entity tables behind one interface; rows are the entity's JSON plus cache bookkeeping. */
export class EntityStore {
  private readonly statements = new Map<EntityKind, Statements>();
  /** Reads not yet written to `accessed_at`: a read must not cost a disk write (see flushTouches). */
  private readonly touched = new Map<EntityKind, Map<string, number>>();

  constructor(
    private readonly db: Database,
    private readonly now: () => number,
  ) {}

  private stmts(kind: EntityKind): Statements {
    let s = this.statements.get(kind);
    if (!s) {
      const t = TABLE[kind].table;
      s = {
        get: this.db.prepare(`SELECT data, sync_state, version FROM ${t} WHERE id = ?`),
        touch: this.db.prepare(`UPDATE ${t} SET accessed_at = ? WHERE id = ?`),
        upsert: this.db.prepare(
          `INSERT INTO ${t} (id, submodule_id, privacy_level, version, sort_at, data, sync_state, cached_at, accessed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET submodule_id = excluded.submodule_id, privacy_level = excluded.privacy_level, version = excluded.version,
             sort_at = excluded.sort_at, data = excluded.data, sync_state = excluded.sync_state, cached_at = excluded.cached_at`,
        ),
        setState: this.db.prepare(`UPDATE ${t} SET sync_state = ? WHERE id = ?`),
        remove: this.db.prepare(`DELETE FROM ${t} WHERE id = ?`),
        count: this.db.prepare(`SELECT count(*) AS n FROM ${t}`),
      };
      this.statements.set(kind, s);
    }
    return s;
  }

  get<K extends EntityKind>(kind: K, id: string): CachedEntity<K> | undefined {
    const row = this.stmts(kind).get.get(id);
    if (!row) return undefined;
    return { entity: JSON.parse(row.data) as EntityOf[K], syncState: row.sync_state, version: row.version };
  }

  /** Records a read, for LRU eviction; kept in memory until flushTouches. */
  touch(kind: EntityKind, id: string): void {
    let ids = this.touched.get(kind);
    if (!ids) this.touched.set(kind, (ids = new Map()));
    ids.set(id, this.now());
  }

  /** Writes the recorded reads in one transaction (before eviction, on a timer, on close). */
  flushTouches(): void {
    if (this.touched.size === 0) return;
    transaction(this.db, () => {
      for (const [kind, ids] of this.touched) {
        const { touch } = this.stmts(kind);
        for (const [id, at] of ids) touch.run(at, id);
      }
    });
    this.touched.clear();
  }

  /** Writes a row as is (the caller decided it should win). */
  put(kind: EntityKind, entity: AnyEntity, syncState: SyncState): void {
    const sortAt = (entity as unknown as Record<string, unknown>)[TABLE[kind].sortField];
    const now = this.now();
    this.stmts(kind).upsert.run(
      entity.id,
      entity.submoduleId,
      entity.privacyLevel,
      entity.version,
      typeof sortAt === 'string' ? toIso(sortAt) : new Date(now).toISOString(),
      JSON.stringify(entity),
      syncState,
      now,
      now,
    );
  }

  /**
   * Stores a copy the server sent in a change feed or a read. Rows with local
   * changes (pending, EPHEMERAL) are left alone, and so is a newer version
   * than the one offered; a conflicted row takes the copy but stays marked.
   * Returns whether the row was written.
   */
  putServerCopy(kind: EntityKind, entity: AnyEntity): boolean {
    const current = this.stmts(kind).get.get(entity.id);
    if (current && (current.sync_state === 'pending' || current.sync_state === 'local')) return false;
    if (current && current.version > entity.version) return false;
    this.put(kind, entity, current?.sync_state === 'conflict' ? 'conflict' : 'synced');
    return true;
  }

  /** Removes a row unless it holds local changes; returns whether it did. */
  removeServerCopy(kind: EntityKind, id: string): boolean {
    const current = this.stmts(kind).get.get(id);
    if (!current || current.sync_state === 'pending' || current.sync_state === 'local') return false;
    this.remove(kind, id);
    return true;
  }

  setSyncState(kind: EntityKind, id: string, state: SyncState): void {
    this.stmts(kind).setState.run(state, id);
  }

  /**
   * Deletes a row; secure_delete and FTS5 secure-delete (open-cache.ts) zero
   * its bytes in the file. The WAL still holds earlier copies of its pages, so
   * it is emptied once the surrounding transaction (a pull page) has committed.
   */
  remove(kind: EntityKind, id: string): void {
    this.stmts(kind).remove.run(id);
    this.truncateWalSoon();
  }

  private walTruncateScheduled = false;

  /** Empties the WAL once the current transaction has committed (at once outside one), so deleted rows leave no older copy. */
  truncateWalSoon(): void {
    if (!this.db.inTransaction) return this.truncateWal();
    if (this.walTruncateScheduled) return;
    this.walTruncateScheduled = true;
    setImmediate(() => {
      this.walTruncateScheduled = false;
      if (this.db.open && !this.db.inTransaction) this.truncateWal();
    });
  }

  private truncateWal(): void {
    if (this.db.memory || this.db.readonly) return;
    // A reader holding an old snapshot makes this a no-op (busy), never an error; close() truncates again.
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  count(kind: EntityKind): number {
    return this.stmts(kind).count.get()?.n ?? 0;
  }

  list<K extends EntityKind>(kind: K, filter: LocalFilter, order: LocalOrder, limit: number, offset: number): Array<CachedEntity<K>> {
    const where: string[] = [];
    const params: Array<string | number> = [];
    const inList = (column: string, values: readonly (string | number)[]) => {
      where.push(`${column} IN (${values.map(() => '?').join(', ')})`);
      params.push(...values);
    };
    if (filter.submodules?.length) inList('submodule_id', filter.submodules);
    if (filter.privacyLevels?.length) inList('privacy_level', filter.privacyLevels);
    if (filter.syncStates?.length) inList('sync_state', filter.syncStates);
    for (const tag of filter.tags ?? []) {
      where.push(`EXISTS (SELECT 1 FROM json_each(data, '$.tags') WHERE value = ?)`);
      params.push(tag);
    }
    if (filter.from) {
      where.push('sort_at >= ?');
      params.push(toIso(filter.from));
    }
    if (filter.to) {
      where.push('sort_at < ?');
      params.push(toIso(filter.to));
    }
    for (const [field, values] of Object.entries(filter.fields ?? {})) {
      if (values.length > 0) inList(`data ->> '$.${field}'`, values);
    }
    for (const [field, min] of Object.entries(filter.atLeast ?? {})) {
      where.push(`data ->> '$.${field}' >= ?`);
      params.push(min);
    }
    const orderBy = order.by === 'sort' ? 'sort_at DESC, id DESC' : `data ->> '$.${order.field}' DESC, sort_at DESC, id DESC`;
    const sql = `SELECT data, sync_state, version FROM ${TABLE[kind].table} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${orderBy} LIMIT ? OFFSET ?`;
    const rows = this.db.prepare<unknown[], Row>(sql).all(...params, limit, offset);
    return rows.map((row) => ({ entity: JSON.parse(row.data) as EntityOf[K], syncState: row.sync_state, version: row.version }));
  }
}
