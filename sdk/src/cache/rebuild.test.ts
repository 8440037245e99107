import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from '@jest/globals';
import { fakeToken } from '../../test-fixtures/fake-gateway.js';
import { createClient } from '../client.js';
import { readExport } from '../outbox-transfer.js';
import { openCache } from './open-cache.js';
import { rebuildCache } from './rebuild.js';

const temp = () => join(mkdtempSync(join(tmpdir(), 'memctx-rebuild-')), 'cache.db');

/** A cache with `n` queued session creations (the gateway is never asked). */
async function cacheWithPending(n: number): Promise<string> {
  const cachePath = temp();
  const client = createClient({ url: 'http://127.0.0.1:9/graphql', token: fakeToken('rebuild'), cachePath, pullIntervalMs: 0, pushOnWrite: false });
  for (let i = 0; i < n; i++) await client.sessions.create({ title: `Pending ${i}`, privacyLevel: 'TEAM', content: [{ role: 'user', text: 'x'.repeat(400) }] });
  await client.close();
  return cachePath;
}

/** The b-tree pages of one table or index, with how many cells each holds. */
function pagesOf(cachePath: string, name: string): Array<{ pageno: number; ncell: number; pagetype: string }> {
  const db = new BetterSqlite3(cachePath, { readonly: true });
  try {
    return db.prepare('SELECT pageno, ncell, pagetype FROM dbstat WHERE name = ? ORDER BY pageno').all(name) as Array<{ pageno: number; ncell: number; pagetype: string }>;
  } finally {
    db.close();
  }
}

/** Overwrites pages with garbage, as a failing disk would. */
function damage(cachePath: string, pages: number[]): void {
  const pageSize = 8192;
  const fd = openSync(cachePath, 'r+');
  for (const page of pages) writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (page - 1) * pageSize);
  closeSync(fd);
}

function error(run: () => unknown): { code?: string; message?: string } {
  try {
    run();
  } catch (err) {
    return err as { code?: string; message?: string };
  }
  throw new Error('no error');
}

describe('rebuildCache on a damaged cache', () => {
  it('says it cannot know how many queued writes a truncated file held, and keeps the file', async () => {
    const cachePath = await cacheWithPending(20);
    truncateSync(cachePath, Math.floor(statSync(cachePath).size / 2));
    const before = readFileSync(cachePath);

    const rebuilt = rebuildCache({ cachePath });
    expect(rebuilt.unrecovered.writes).toBeNull();
    expect(rebuilt.unrecovered.reason).toMatch(/cut short/);
    expect(rebuilt.exported.errors).not.toEqual([]);
    expect(readFileSync(rebuilt.movedTo!).equals(before)).toBe(true);
  });

  it('counts the queued writes it could not read when an index of the outbox survived', async () => {
    const cachePath = await cacheWithPending(60);
    const leaves = pagesOf(cachePath, 'outbox').filter((p) => p.pagetype === 'leaf');
    expect(leaves.length).toBeGreaterThanOrEqual(3);
    const broken = leaves[1]!;
    damage(cachePath, [broken.pageno]);

    const rebuilt = rebuildCache({ cachePath });
    expect(rebuilt.unrecovered.writes).toBe(broken.ncell);
    expect(rebuilt.unrecovered.entities).toHaveLength(broken.ncell);
    expect(rebuilt.unrecovered.reason).toMatch(/lists 60 queued writes/);
    expect(rebuilt.exported.writes).toBe(60 - broken.ncell);
    expect(rebuilt.imported.writes).toBe(60 - broken.ncell);
    const exported = readExport(rebuilt.exportPath!);
    expect(exported.errors[0]).toMatch(/^outbox: /);
    // The lost entities are the ones not in the export.
    const kept = new Set(exported.writes.map((w) => w.write.id));
    for (const lost of rebuilt.unrecovered.entities) expect(kept.has(lost.entityId)).toBe(false);
  });

  it('gives an upper bound when the outbox and its indexes are all unreadable', async () => {
    const cachePath = await cacheWithPending(60);
    const leaves = pagesOf(cachePath, 'outbox').filter((p) => p.pagetype === 'leaf');
    const indexPages = [...pagesOf(cachePath, 'outbox_by_entity'), ...pagesOf(cachePath, 'sqlite_autoindex_outbox_1')].map((p) => p.pageno);
    damage(cachePath, [leaves[1]!.pageno, ...indexPages]);

    const rebuilt = rebuildCache({ cachePath });
    expect(rebuilt.unrecovered.writes).toBeNull();
    expect(rebuilt.unrecovered.atMost).toBe(leaves[1]!.ncell);
    expect(rebuilt.unrecovered.reason).toMatch(/cannot be known/);
    expect(rebuilt.exported.writes).toBe(60 - leaves[1]!.ncell);
  });

  it('reports nothing unrecovered when the outbox reads whole', async () => {
    const cachePath = await cacheWithPending(5);
    expect(rebuildCache({ cachePath }).unrecovered).toEqual({ writes: 0, atMost: null, entities: [], reason: null });
  });
});

describe('a path that cannot hold a cache', () => {
  it('is CACHE_UNUSABLE for a directory, from openCache and rebuildCache, and the directory stays', () => {
    const cachePath = temp();
    mkdirSync(cachePath);
    writeFileSync(join(cachePath, 'keep.txt'), 'mine');
    for (const run of [() => openCache(cachePath), () => rebuildCache({ cachePath })]) {
      const err = error(run);
      expect(err.code).toBe('CACHE_UNUSABLE');
      expect(err.message).toContain(cachePath);
      expect(err.message).toContain('is a directory');
      expect(err.message).toMatch(/choose another cache path/);
    }
    expect(readdirSync(cachePath)).toEqual(['keep.txt']);
  });

  it('is CACHE_UNUSABLE when a file stands where a directory of the path should be', () => {
    const file = temp();
    writeFileSync(file, 'a file');
    expect(error(() => openCache(join(file, 'cache.db'))).code).toBe('CACHE_UNUSABLE');
  });
});

describe("another application's file", () => {
  it('is never renamed or written by rebuildCache: CACHE_FOREIGN, choose another path', () => {
    for (const make of [
      (path: string) => writeFileSync(path, 'these are my notes, not a database\n'),
      (path: string) => {
        const other = new BetterSqlite3(path);
        other.exec(`CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('keep me');`);
        other.close();
      },
    ]) {
      const cachePath = temp();
      make(cachePath);
      const before = readFileSync(cachePath);
      for (const run of [() => openCache(cachePath), () => rebuildCache({ cachePath })]) {
        const err = error(run);
        expect(err.code).toBe('CACHE_FOREIGN');
        expect(err.message).toMatch(/choose another cache path/);
        expect(err.message).not.toContain('rebuild --cache');
      }
      expect(readFileSync(cachePath).equals(before)).toBe(true);
      expect(readdirSync(join(cachePath, '..'))).toEqual(['cache.db']);
      expect(existsSync(`${cachePath}-wal`)).toBe(false);
    }
  });
});
