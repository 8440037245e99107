import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';

/**
 * What earlier runs wrote, kept beside the cache (`import-ledger.db`). The
 * cache and the server answer "already present" for most items, but not for a
 * pattern the server merged into an equal one (its id moves to the existing
 * pattern): without this record a rerun would record it again and count it twice.
 */
export class ImportLedger {
  private readonly db: Database.Database;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.exec('CREATE TABLE IF NOT EXISTS imported (item_id TEXT PRIMARY KEY, kind TEXT NOT NULL, source TEXT NOT NULL, at TEXT NOT NULL)');
  }

  /** The ledger of the cache at `cachePath`. */
  static beside(cachePath: string): ImportLedger {
    return new ImportLedger(cachePath === ':memory:' ? ':memory:' : join(dirname(cachePath), 'import-ledger.db'));
  }

  has(itemId: string): boolean {
    return this.db.prepare('SELECT 1 FROM imported WHERE item_id = ?').get(itemId) !== undefined;
  }

  record(itemId: string, kind: string, source: string): void {
    this.db.prepare('INSERT OR IGNORE INTO imported (item_id, kind, source, at) VALUES (?, ?, ?, ?)').run(itemId, kind, source, new Date().toISOString());
  }

  /** Records the items of a chunk in one transaction. */
  recordMany(items: ReadonlyArray<{ itemId: string; kind: string; source: string }>): void {
    if (items.length === 0) return;
    const insert = this.db.prepare('INSERT OR IGNORE INTO imported (item_id, kind, source, at) VALUES (?, ?, ?, ?)');
    const at = new Date().toISOString();
    this.db.transaction(() => {
      for (const item of items) insert.run(item.itemId, item.kind, item.source, at);
    })();
  }

  /** Forgets an item the server refused, so a later run tries it again. */
  forget(itemId: string): void {
    this.db.prepare('DELETE FROM imported WHERE item_id = ?').run(itemId);
  }

  close(): void {
    this.db.close();
  }
}
