import { execFileSync } from 'node:child_process';
import fs, { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { auditEvents, sessionArchive } from '@memory-context/db';
import { createClient, type MemoryClient } from '@memory-context/sdk';
import { codes, CREATE_SESSION, DELETE_SESSION, GET_SESSION, graphql, LIST_SESSIONS, ok, SESSION_CHANGES, startTestStack, type TestStack } from './src/index.js';

const MARKER = 'GdprMarker7Q2';
let stack: TestStack;
let owner: string;
let reader: string;

function rows<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []);
}

/** Every user table of the database whose rows mention the marker anywhere. */
async function tablesHolding(marker: string): Promise<string[]> {
  const { db } = stack.deps.database;
  const tables = rows<{ schema: string; name: string }>(
    await db.execute(sql`select table_schema as schema, table_name as name from information_schema.tables
      where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`),
  );
  const holding: string[] = [];
  for (const { schema, name } of tables) {
    const found = rows<{ n: number }>(
      await db.execute(sql`select count(*)::int as n from ${sql.identifier(schema)}.${sql.identifier(name)} t where t::text ilike ${`%${marker}%`}`),
    );
    if ((found[0]?.n ?? 0) > 0) holding.push(`${schema}.${name}`);
  }
  return holding;
}

/**
 * The stack's log output, captured at info level: pino writes to fd 1 through
 * fs.write/fs.writeSync (sonic-boom), or, when something already wrapped
 * process.stdout.write (jest's reporter does with --runInBand), to process.stdout.
 */
let logs = '';
const { write, writeSync } = fs;
const stdoutWrite = process.stdout.write;

function captureStdout(): void {
  const keep = (data: unknown) => (logs += Buffer.isBuffer(data) ? data.toString() : String(data));
  (fs as { writeSync: unknown }).writeSync = (fd: number, data: unknown, ...rest: unknown[]) => {
    if (fd !== 1) return (writeSync as (...args: unknown[]) => number)(fd, data, ...rest);
    keep(data);
    return Buffer.byteLength(data as string);
  };
  process.stdout.write = ((data: unknown, ...rest: unknown[]) => {
    keep(data);
    const done = rest.at(-1);
    if (typeof done === 'function') process.nextTick(done as () => void);
    return true;
  }) as typeof process.stdout.write;
  (fs as { write: unknown }).write = (fd: number, data: unknown, ...rest: unknown[]) => {
    if (fd !== 1) return (write as (...args: unknown[]) => void)(fd, data, ...rest);
    keep(data);
    const done = rest.at(-1) as (error: null, written: number) => void;
    process.nextTick(() => done(null, Buffer.byteLength(data as string)));
  };
}

beforeAll(async () => {
  captureStdout();
  stack = await startTestStack({ gdprRetentionSeconds: 1 }, { MEMCTX_LOG_LEVEL: 'info' });
  owner = await stack.token('gdpr-owner');
  reader = await stack.token('gdpr-reader');
});
afterAll(async () => {
  await stack?.stop();
  Object.assign(fs, { write, writeSync });
  process.stdout.write = stdoutWrite;
});

describe('GDPR deletion of a session', () => {
  let id: string;
  let cursor: string;

  beforeAll(async () => {
    cursor = ok(await graphql(stack.gatewayUrl, SESSION_CHANGES, { limit: 500 }, reader)).sessionChanges.cursor;
    const input = {
      privacyLevel: 'TEAM',
      title: `Notes ${MARKER}`,
      description: `About ${MARKER}`,
      tags: [MARKER.toLowerCase()],
      content: [{ role: 'user', text: `The customer ${MARKER} asked to be forgotten` }],
      idempotencyKey: 'gdpr-create-0001',
    };
    id = ok(await graphql(stack.gatewayUrl, CREATE_SESSION, { input }, owner)).createSession.id;
    ok(await graphql(stack.gatewayUrl, GET_SESSION, { id }, reader)); // a read that is audited
    await stack.search.indexer.catchUp();
    const holding = await tablesHolding(MARKER);
    expect(holding).toContain('sessions.sessions');
    expect(holding).toContain('search.documents');
    expect(holding.filter((t) => t !== 'sessions.sessions').every((t) => t.startsWith('search.'))).toBe(true);
  });

  it('removes it from reads and lists at once and sends a tombstone down the feed', async () => {
    const deleted = ok(await graphql(stack.gatewayUrl, DELETE_SESSION, { id, gdpr: true, reason: 'Art. 17 request #42' }, owner)).deleteSession;
    expect(deleted).toMatchObject({ id, deleted: true });
    expect(codes(await graphql(stack.gatewayUrl, GET_SESSION, { id }, owner))).toEqual(['NOT_FOUND']);
    const list = ok(await graphql(stack.gatewayUrl, LIST_SESSIONS, { first: 100 }, owner));
    expect(list.sessions.nodes.map((n: { id: string }) => n.id)).not.toContain(id);
    const feed = ok(await graphql(stack.gatewayUrl, SESSION_CHANGES, { after: cursor, limit: 100 }, reader)).sessionChanges;
    const mine = feed.changes.filter((c: { id: string }) => c.id === id);
    expect(mine.at(-1)).toMatchObject({ op: 'DELETE', entity: null });
    expect(mine.every((c: { op: string }) => c.op === 'DELETE')).toBe(true);
    // Deleting again finds nothing.
    expect(codes(await graphql(stack.gatewayUrl, DELETE_SESSION, { id, gdpr: true, reason: 'again' }, owner))).toEqual(['NOT_FOUND']);
  });

  it('keeps the content only in the archive until the retention window ends (the search index lets go with the tombstone)', async () => {
    await stack.search.indexer.catchUp();
    expect(await tablesHolding(MARKER)).toEqual(['sessions.archive']);
  });

  it('purges it for good after the retention window: no table holds its content', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const { purged } = await stack.sessions.runMaintenance();
    expect(purged).toContain(id);
    expect(await tablesHolding(MARKER)).toEqual([]);
    expect(await stack.deps.database.db.select().from(sessionArchive).where(eq(sessionArchive.entityId, id))).toEqual([]);
  });

  it('keeps metadata of every access in the audit trail', async () => {
    await stack.deps.audit.flush();
    const events = await stack.deps.database.db.select().from(auditEvents).where(eq(auditEvents.resourceId, id));
    const actions = events.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['session.create', 'session.read_content', 'session.gdpr_delete']));
    const gdpr = events.find((e) => e.action === 'session.gdpr_delete');
    expect(gdpr).toMatchObject({ actor: 'gdpr-owner', reason: 'Art. 17 request #42', outcome: 'SUCCESS' });
    const denied = await stack.deps.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.resourceId, id), eq(auditEvents.outcome, 'DENIED')));
    expect(denied.length).toBeGreaterThanOrEqual(1);
  });

  it('replays the delete by idempotency key without error', async () => {
    const created = ok(await graphql(stack.gatewayUrl, CREATE_SESSION, { input: { privacyLevel: 'TEAM', title: 'to delete' } }, owner)).createSession;
    const vars = { id: created.id, key: 'delete-key-00001' };
    const first = ok(await graphql(stack.gatewayUrl, DELETE_SESSION, vars, owner)).deleteSession;
    const again = ok(await graphql(stack.gatewayUrl, DELETE_SESSION, vars, owner)).deleteSession;
    expect(again).toEqual(first);
  });
});

const CHECKPOINT = `mutation($input: CreateCheckpointInput!) { createCheckpoint(input: $input) { id summary } }`;
const GET_CHECKPOINT = `query($id: ID!) { checkpoint(id: $id) { id summary } }`;
const SEARCH = `query($q: String!) { search(query: $q, mode: LEXICAL, limit: 20) { hits { entity { __typename ... on Session { id } ... on Checkpoint { id } } } } }`;

/** Which of the markers occur in these bytes, in any letter case (search lexemes are lower case). */
function tracesIn(bytes: Buffer | Uint8Array, markers: readonly string[]): string[] {
  const text = Buffer.from(bytes).toString('latin1').toLowerCase();
  return markers.filter((m) => text.includes(m.toLowerCase()));
}

/** The files of a tar archive (PGlite's dumpDataDir), by name. */
function untar(archive: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (let at = 0; at + 512 <= archive.length; ) {
    const header = archive.subarray(at, at + 512);
    const name = header.subarray(0, 100).toString('latin1').replace(/\0.*$/s, '');
    if (name === '') break;
    const size = parseInt(header.subarray(124, 136).toString('latin1').replace(/\0.*$/s, '').trim() || '0', 8);
    files.set(name, archive.subarray(at + 512, at + 512 + size));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

/**
 * The database as an attacker with the disk would read it: on Postgres a
 * pg_dump of every row; on PGlite the raw bytes of every data file (heap and
 * index pages, free space included) after a CHECKPOINT. The WAL is left out:
 * it is recycled, not rewritten (docs/security.md).
 */
async function databaseTraces(markers: readonly string[]): Promise<string[]> {
  const { url } = stack.testDatabase;
  if (url) return tracesIn(execFileSync('pg_dump', ['--data-only', url], { maxBuffer: 1 << 30 }), markers);
  const client = (stack.deps.database.db as unknown as { $client: { query(q: string): Promise<unknown>; dumpDataDir(c: 'none'): Promise<Blob> } }).$client;
  await client.query('checkpoint');
  const files = untar(Buffer.from(await (await client.dumpDataDir('none')).arrayBuffer()));
  const found = new Set<string>();
  for (const [name, bytes] of files) if (!/(^|\/)pg_wal\//.test(name)) for (const m of tracesIn(bytes, markers)) found.add(`${m} in ${name}`);
  return [...found];
}

function cacheTraces(cachePath: string, markers: readonly string[]): string[] {
  return [cachePath, `${cachePath}-wal`].flatMap((file) => (existsSync(file) ? tracesIn(readFileSync(file), markers).map((m) => `${m} in ${file}`) : []));
}

describe('GDPR deletion leaves no residue', () => {
  const marks = { title: 'ResidueTitle5Hq', tag: 'residuetag8wz', text: 'ResidueText2Vn' };
  const all = Object.values(marks);
  let id: string;
  let checkpointId: string;
  let searcher: string;
  const clients: MemoryClient[] = [];
  const cachePaths: string[] = [];

  beforeAll(async () => {
    searcher = await stack.token('gdpr-searcher');
    const input = { privacyLevel: 'TEAM', title: `Call ${marks.title}`, tags: [marks.tag], content: [{ role: 'user', text: `Please forget ${marks.text} entirely` }] };
    id = ok(await graphql(stack.gatewayUrl, CREATE_SESSION, { input }, owner)).createSession.id;
    const checkpoint = ok(await graphql(stack.gatewayUrl, CHECKPOINT, { input: { privacyLevel: 'TEAM', auto: true } }, owner)).createCheckpoint;
    checkpointId = checkpoint.id;
    expect(tracesIn(Buffer.from(checkpoint.summary), all)).toEqual([marks.title, marks.tag]); // the digest names it
    for (const token of [owner, reader]) {
      const cachePath = join(mkdtempSync(join(tmpdir(), 'memctx-gdpr-cache-')), 'cache.db');
      const client = createClient({ url: stack.gatewayUrl, token, cachePath, pullIntervalMs: 0 });
      clients.push(client);
      cachePaths.push(cachePath);
      await client.pull();
      expect(cacheTraces(cachePath, all).length).toBeGreaterThan(0); // the scan finds what is there
    }
    await stack.search.indexer.catchUp();
    const hits = ok(await graphql(stack.gatewayUrl, SEARCH, { q: marks.text }, searcher)).search.hits;
    expect(hits.map((h: { entity: { id: string } }) => h.entity.id)).toContain(id);
  });
  afterAll(async () => {
    for (const client of clients) await client.close();
  });

  it('after the purge, no table, dump, search index, SDK cache file or log line holds its title, tags or text', async () => {
    ok(await graphql(stack.gatewayUrl, DELETE_SESSION, { id, gdpr: true, reason: 'Art. 17 request #43' }, owner));
    await stack.checkpoints.catchUp();
    await stack.search.indexer.catchUp();
    for (const client of clients) await client.pull();
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect((await stack.sessions.runMaintenance()).purged).toContain(id);
    await stack.patterns.runMaintenance();
    await stack.checkpoints.runMaintenance();

    // The checkpoint stays, and no longer names the session; search finds nothing of it.
    const checkpoint = ok(await graphql(stack.gatewayUrl, GET_CHECKPOINT, { id: checkpointId }, owner)).checkpoint;
    expect(tracesIn(Buffer.from(checkpoint.summary), all)).toEqual([]);
    for (const mark of all) {
      expect(ok(await graphql(stack.gatewayUrl, SEARCH, { q: mark }, searcher)).search.hits, mark).toEqual([]);
    }
    for (const mark of all) expect(await tablesHolding(mark), mark).toEqual([]);
    expect(await databaseTraces(all)).toEqual([]);
    for (const cachePath of cachePaths) expect(cacheTraces(cachePath, all)).toEqual([]);
    for (const client of clients) await client.close();
    for (const cachePath of cachePaths) expect(cacheTraces(cachePath, all)).toEqual([]);
    expect(logs).toContain('purged archived content past retention'); // the capture works
    expect(tracesIn(Buffer.from(logs), all)).toEqual([]);
  });
});
