import { copyFileSync, existsSync, mkdtempSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import type { OutboxWrite } from '../writes.js';
import type { SqliteHeader } from './cache-path.js';
import { CACHE_APPLICATION_ID } from './migrations.js';
import { collectPending, type ExportedPending } from './pending-export.js';

/** Pending writes of a damaged cache that could not be read back. */
export interface Unrecovered {
  /** How many; 0 when every one was read; null when it cannot be known. */
  writes: number | null;
  /** With `writes` null: the most there can be, when the cache's write counter could be read. */
  atMost: number | null;
  /** The entities whose writes are known to be lost (from an index that survived), so they can be redone. */
  entities: Array<{ kind: string; entityId: string }>;
  /** Why some could not be read, in a sentence; null when nothing is missing. */
  reason: string | null;
}

export interface Salvage {
  exported: ExportedPending | undefined;
  unrecovered: Unrecovered;
  /** Whether the copy read was an SQLite database of memory-context (false: another application's, leave it alone). */
  ours: boolean;
  applicationId: number | null;
  tables: number | null;
}

type Row = { seq: number; idempotency_key: string; payload: string; deps: string; created_at: number };
type Write = ExportedPending['writes'][number];

/** Reads rows in one direction until SQLite stops at a damaged page. */
function readUntilDamage(db: Database, sql: string, params: unknown[], into: Map<number, Write>, unparsable: Set<number>): string | null {
  try {
    for (const row of db.prepare(sql).iterate(...params) as IterableIterator<Row>) {
      try {
        into.set(row.seq, { idempotencyKey: row.idempotency_key, write: JSON.parse(row.payload) as OutboxWrite, deps: JSON.parse(row.deps) as string[], createdAt: row.created_at });
      } catch {
        unparsable.add(row.seq);
      }
    }
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/** What an index of the outbox still lists (it holds every row's seq without the row's pages). */
function indexedWrites(db: Database): Array<{ seq: number; kind: string | null; entityId: string | null }> | undefined {
  const attempts = [
    'SELECT seq, kind, entity_id AS entityId FROM outbox INDEXED BY outbox_by_entity',
    'SELECT seq, NULL AS kind, NULL AS entityId FROM outbox INDEXED BY sqlite_autoindex_outbox_1',
  ];
  for (const sql of attempts) {
    try {
      return db.prepare(sql).all() as Array<{ seq: number; kind: string | null; entityId: string | null }>;
    } catch {
      // Try the next index.
    }
  }
  return undefined;
}

function highestSeq(db: Database): number | null {
  try {
    return (db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'outbox'`).get() as { seq: number } | undefined)?.seq ?? 0;
  } catch {
    return null;
  }
}

/**
 * The outbox, as far as it can be read: forwards until a damaged page, then
 * backwards from the end to it; then compared with what an index of the outbox
 * lists, or bounded by the write counter when no index can be read either.
 */
function readOutbox(db: Database): { writes: Write[]; unrecovered: Unrecovered } {
  const read = new Map<number, Write>();
  const unparsable = new Set<number>();
  const columns = 'seq, idempotency_key, payload, deps, created_at';
  const forward = readUntilDamage(db, `SELECT ${columns} FROM outbox ORDER BY seq`, [], read, unparsable);
  const writes = () => [...read.entries()].sort(([a], [b]) => a - b).map(([, w]) => w);
  if (forward === null && unparsable.size === 0) return { writes: writes(), unrecovered: { writes: 0, atMost: null, entities: [], reason: null } };
  if (forward !== null) {
    let last = 0;
    for (const seq of [...read.keys(), ...unparsable]) last = Math.max(last, seq);
    readUntilDamage(db, `SELECT ${columns} FROM outbox WHERE seq > ? ORDER BY seq DESC`, [last], read, unparsable);
  }
  const indexed = indexedWrites(db);
  const damage = forward ?? 'some rows hold unreadable JSON';
  if (indexed) {
    const lost = indexed.filter((i) => !read.has(i.seq));
    const entities = lost.filter((l) => l.kind && l.entityId).map((l) => ({ kind: l.kind!, entityId: l.entityId! }));
    return {
      writes: writes(),
      unrecovered: { writes: lost.length, atMost: null, entities, reason: lost.length ? `the outbox is damaged (${damage}); an index of it lists ${indexed.length} queued writes` : null },
    };
  }
  const highest = highestSeq(db);
  return {
    writes: writes(),
    unrecovered: {
      writes: null,
      atMost: highest === null ? null : Math.max(0, highest - read.size),
      entities: [],
      reason: `the outbox and its indexes are damaged (${damage}), so how many queued writes it held cannot be known`,
    },
  };
}

function unknowable(reason: string): Unrecovered {
  return { writes: null, atMost: null, entities: [], reason };
}

/**
 * Reads what can be read from a cache file that cannot be opened normally.
 * It works on a copy in a temporary directory, so the file itself is never
 * written (SQLite would add -shm or roll back a journal); a copy shorter than
 * its header says (a truncated file) is padded with empty pages, so SQLite
 * reads the pages that are left instead of refusing the whole file.
 */
export function salvageCache(path: string, header: SqliteHeader, size: number, now: number): Salvage {
  const dir = mkdtempSync(join(tmpdir(), 'memctx-salvage-'));
  const copy = join(dir, basename(path));
  let db: Database | undefined;
  const truncated = header.pageCount !== null && header.pageSize > 0 && size < header.pageCount * header.pageSize;
  const note = truncated ? ` The file is ${size} bytes where its header says ${header.pageCount! * header.pageSize}: it was cut short.` : '';
  try {
    copyFileSync(path, copy);
    if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copy}-wal`);
    if (truncated) truncateSync(copy, header.pageCount! * header.pageSize);
    try {
      db = new BetterSqlite3(copy, { fileMustExist: true });
      const applicationId = db.pragma('application_id', { simple: true }) as number;
      const tables = (db.prepare(`SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'`).get() as { n: number }).n;
      if (applicationId !== CACHE_APPLICATION_ID && !(applicationId === 0 && tables === 0)) {
        return { exported: undefined, unrecovered: unknowable('not a memory-context cache'), ours: false, applicationId, tables };
      }
      const exported = collectPending(db, path, now);
      const outbox = readOutbox(db);
      exported.writes = outbox.writes;
      exported.errors = exported.errors.filter((e) => !e.startsWith('outbox:'));
      if (outbox.unrecovered.reason) exported.errors.unshift(`outbox: ${outbox.unrecovered.reason}`);
      return {
        exported,
        unrecovered: { ...outbox.unrecovered, reason: outbox.unrecovered.reason && `${outbox.unrecovered.reason}.${note}` },
        ours: true,
        applicationId,
        tables,
      };
    } catch (err) {
      // Not even the schema can be read: the header alone says whose file it is.
      const ours = header.applicationId === CACHE_APPLICATION_ID;
      return {
        exported: undefined,
        unrecovered: unknowable(`SQLite cannot read the file's schema (${(err as Error).message}), so nothing in it, queued writes included, can be read or counted.${note}`),
        ours,
        applicationId: header.applicationId,
        tables: null,
      };
    }
  } finally {
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
