import BetterSqlite3, { type Database, type Statement } from 'better-sqlite3';

/** Keys of the metadata table: cursors, sync times, the submodule the cache belongs to. */
export type MetadataKey =
  | 'cursor:session'
  | 'cursor:pattern'
  | 'cursor:checkpoint'
  | 'last-pull-at'
  | 'last-push-at'
  | 'submodule'
  | 'gateway-url'
  | 'push-paused-until'
  /** Set while a feed is pulled again from scratch after CURSOR_EXPIRED (cache/resync.ts). */
  | 'resync:session'
  | 'resync:pattern'
  | 'resync:checkpoint';

export class Metadata {
  private readonly getStmt: Statement<[string], { value: string }>;
  private readonly setStmt: Statement<[string, string]>;
  private readonly deleteStmt: Statement<[string]>;

  constructor(db: Database) {
    this.getStmt = db.prepare('SELECT value FROM metadata WHERE key = ?');
    this.setStmt = db.prepare('INSERT INTO metadata (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    this.deleteStmt = db.prepare('DELETE FROM metadata WHERE key = ?');
  }

  get(key: MetadataKey): string | undefined {
    return this.getStmt.get(key)?.value;
  }

  set(key: MetadataKey, value: string | undefined): void {
    if (value === undefined) this.deleteStmt.run(key);
    else this.setStmt.run(key, value);
  }
}

/** The submodule a cache file belongs to, read without opening it as a cache (undefined: no such file, or unreadable; null: none recorded). */
export function readCacheOwner(path: string): string | null | undefined {
  let db: Database | undefined;
  try {
    db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
    return new Metadata(db).get('submodule') ?? null;
  } catch {
    return undefined;
  } finally {
    db?.close();
  }
}
