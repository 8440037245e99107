import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from '@jest/globals';
import { CACHE_APPLICATION_ID, LATEST_SCHEMA_VERSION, MIGRATIONS, migrate } from './migrations.js';
import { openCache } from './open-cache.js';

const temp = () => join(mkdtempSync(join(tmpdir(), 'memctx-cache-')), 'cache.db');

describe('openCache', () => {
  it('creates a marked, migrated WAL cache (and a missing directory)', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'memctx-cache-')), 'nested', 'dir', 'cache.db');
    const db = openCache(path);
    expect(db.pragma('application_id', { simple: true })).toBe(CACHE_APPLICATION_ID);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = (db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE '%fts_%'`).all() as Array<{ name: string }>).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['metadata', 'sessions', 'patterns', 'checkpoints', 'outbox', 'conflicts', 'rejected', 'sessions_fts']));
    db.close();
    openCache(path).close(); // a second open applies nothing
    expect(migrate(openCache(path))).toEqual([]);
  });

  it('refuses a file that is not SQLite as foreign, and leaves it alone', () => {
    const path = temp();
    writeFileSync(path, 'hello');
    expect(() => openCache(path)).toThrow(expect.objectContaining({ code: 'CACHE_FOREIGN', details: expect.objectContaining({ reason: 'not-sqlite' }) }));
    expect(readFileSync(path, 'utf8')).toBe('hello');
  });

  it('refuses and leaves alone a database of another application', () => {
    const path = temp();
    const other = new BetterSqlite3(path);
    other.exec('CREATE TABLE t (x)');
    other.close();
    const before = readFileSync(path);
    expect(() => openCache(path)).toThrow(expect.objectContaining({ code: 'CACHE_FOREIGN' }));
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuses a schema newer than this SDK knows', () => {
    const path = temp();
    const db = openCache(path);
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openCache(path)).toThrow(expect.objectContaining({ code: 'CACHE_TOO_NEW' }));
  });

  it('numbers migrations from 1 without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });
});
