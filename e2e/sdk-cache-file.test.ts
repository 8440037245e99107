import { existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, closeSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sessions } from '@memory-context/db';
import { createClient, rebuildCache, readExport, SdkError } from '@memory-context/sdk';
import { startTestStack, type TestStack } from './src/index.js';

const SUBMODULE = 'sdk-cache-file';
let stack: TestStack;
let token: string;

beforeAll(async () => {
  stack = await startTestStack();
  token = await stack.token(SUBMODULE);
});
afterAll(async () => stack?.stop());

function tempCache(): string {
  return join(mkdtempSync(join(tmpdir(), 'memctx-sdk-file-')), 'cache.db');
}

function openError(cachePath: string): SdkError {
  try {
    createClient({ url: stack.gatewayUrl, token, cachePath, pullIntervalMs: 0 });
  } catch (err) {
    expect(err).toBeInstanceOf(SdkError);
    return err as SdkError;
  }
  throw new Error(`${cachePath} opened without an error`);
}

/** Overwrites every page of one table's b-tree with garbage, as a failing disk would. */
function corruptTable(cachePath: string, table: string): void {
  const db = new BetterSqlite3(cachePath);
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pages = (db.prepare('SELECT pageno FROM dbstat WHERE name = ?').all(table) as Array<{ pageno: number }>).map((r) => r.pageno);
  db.close();
  expect(pages.length).toBeGreaterThan(0);
  const fd = openSync(cachePath, 'r+');
  for (const page of pages) writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (page - 1) * pageSize);
  closeSync(fd);
}

async function serverCount(): Promise<number> {
  const [row] = await stack.deps.database.db.select({ n: count() }).from(sessions).where(eq(sessions.submoduleId, SUBMODULE));
  return row?.n ?? 0;
}

describe('a cache file the SDK cannot use', () => {
  it('refuses a file that is not SQLite as foreign: rebuild leaves it alone and asks for another path', () => {
    const cachePath = tempCache();
    writeFileSync(cachePath, 'these are my notes, not a database\n');
    const error = openError(cachePath);
    expect(error.code).toBe('CACHE_FOREIGN');
    expect(error.message).toContain('not an SQLite database');
    expect(error.message).toContain('choose another cache path');
    expect(() => rebuildCache({ cachePath })).toThrow(expect.objectContaining({ code: 'CACHE_FOREIGN' }));
    expect(readFileSync(cachePath, 'utf8')).toBe('these are my notes, not a database\n');
    expect(readdirSync(join(cachePath, '..'))).toEqual(['cache.db']);
  });

  it('refuses a directory at the cache path with CACHE_UNUSABLE naming the path', () => {
    const cachePath = tempCache();
    mkdirSync(cachePath);
    const error = openError(cachePath);
    expect(error.code).toBe('CACHE_UNUSABLE');
    expect(error.message).toContain(cachePath);
    expect(error.message).toContain('is a directory');
    expect(() => rebuildCache({ cachePath })).toThrow(expect.objectContaining({ code: 'CACHE_UNUSABLE' }));
    expect(statSync(cachePath).isDirectory()).toBe(true);
  });

  it("refuses another application's SQLite database with CACHE_FOREIGN and leaves it untouched", () => {
    const cachePath = tempCache();
    const other = new BetterSqlite3(cachePath);
    other.exec(`CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('keep me');`);
    other.close();
    const before = readFileSync(cachePath);
    const error = openError(cachePath);
    expect(error.code).toBe('CACHE_FOREIGN');
    expect(error.message).toContain('another application');
    expect(readFileSync(cachePath).equals(before)).toBe(true);
    expect(existsSync(`${cachePath}-wal`)).toBe(false);

    // Rebuilding is for memory-context caches only: the file is neither moved nor written.
    expect(() => rebuildCache({ cachePath })).toThrow(expect.objectContaining({ code: 'CACHE_FOREIGN', message: expect.stringContaining('choose another cache path') }));
    expect(readFileSync(cachePath).equals(before)).toBe(true);
    expect(readdirSync(join(cachePath, '..'))).toEqual(['cache.db']);
  });

  it('says when it cannot know how many queued writes a truncated cache held, instead of reporting none', async () => {
    const cachePath = tempCache();
    await stack.stopGateway();
    try {
      const client = createClient({ url: stack.gatewayUrl, token, cachePath, pullIntervalMs: 0, pushOnWrite: false });
      for (let i = 0; i < 20; i++) await client.sessions.create({ title: `Cut short ${i}`, privacyLevel: 'TEAM', content: [{ role: 'user', text: 'y'.repeat(400) }] });
      expect(client.status().pending).toBe(20);
      await client.close();
    } finally {
      await stack.startGateway();
    }
    truncateSync(cachePath, Math.floor(statSync(cachePath).size / 2));
    expect(openError(cachePath).code).toBe('CACHE_CORRUPT');

    const rebuilt = rebuildCache({ cachePath });
    expect(rebuilt.exported.writes).toBe(0);
    expect(rebuilt.unrecovered).toMatchObject({ writes: null, reason: expect.stringContaining('cut short') });
    expect(rebuilt.exported.errors).not.toEqual([]);
    expect(statSync(rebuilt.movedTo!).size).toBeGreaterThan(0);
  });

  it('detects a damaged cache, exports its pending writes on rebuild, and sends each exactly once', async () => {
    const cachePath = tempCache();
    await stack.stopGateway();
    try {
      const client = createClient({ url: stack.gatewayUrl, token, cachePath, pullIntervalMs: 0, pushOnWrite: false });
      for (let i = 0; i < 30; i++) {
        await client.sessions.create({ title: `Survivor ${i}`, privacyLevel: 'TEAM', content: [{ role: 'user', text: 'x'.repeat(400) }] });
      }
      expect(client.status().pending).toBe(30);
      await client.close();
    } finally {
      await stack.startGateway();
    }

    corruptTable(cachePath, 'sessions');
    const error = openError(cachePath);
    expect(error.code).toBe('CACHE_CORRUPT');
    expect(error.message).toContain('memctx cache rebuild');

    const rebuilt = rebuildCache({ cachePath });
    expect(rebuilt.exported.writes).toBe(30);
    expect(rebuilt.unrecovered.writes).toBe(0);
    expect(rebuilt.imported.writes).toBe(30);
    expect(rebuilt.exportPath).not.toBeNull();
    expect(readExport(rebuilt.exportPath!).writes.map((w) => w.write.op)).toEqual(Array(30).fill('create'));

    const client = createClient({ url: stack.gatewayUrl, token, cachePath, pullIntervalMs: 0, pushOnWrite: false });
    try {
      expect(client.status().pending).toBe(30);
      // The local copies came back from the export: readable before they are sent.
      expect((await client.sessions.list(null, { fetchPolicy: 'cache-only', first: 50 })).nodes).toHaveLength(30);
      expect(await client.flush()).toMatchObject({ sent: 30, rejected: 0, remaining: 0 });
      expect(await serverCount()).toBe(30);

      // Importing the same export again sends the same idempotency keys: the server changes nothing.
      expect(client.outbox.import(rebuilt.exportPath!).writes).toBe(30);
      expect(await client.flush()).toMatchObject({ sent: 30, rejected: 0, remaining: 0 });
      expect(await serverCount()).toBe(30);
    } finally {
      await client.close();
    }
  });
});
