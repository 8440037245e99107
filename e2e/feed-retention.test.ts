import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { auditEvents, rawRows } from '@memory-context/db';
import { createClient, type MemoryClient } from '@memory-context/sdk';
import { graphql, startTestStack, type TestStack } from './src/index.js';

// A short horizon: changes older than a minute are compacted, tombstones older than two.
const FEED_ENV = { MEMCTX_FEED_RETENTION_SECONDS: '60', MEMCTX_FEED_TOMBSTONE_RETENTION_SECONDS: '120' };
const WRITER = 'retention-writer';
const READER = 'retention-reader';

let stack: TestStack;
const clients: MemoryClient[] = [];

beforeAll(async () => {
  stack = await startTestStack({}, FEED_ENV);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await stack?.stop();
});

async function client(submodule: string): Promise<{ client: MemoryClient; cachePath: string }> {
  const cachePath = join(mkdtempSync(join(tmpdir(), 'memctx-retention-')), 'cache.db');
  // Pages of two: a resync pages through the compacted feed below its horizon.
  const created = createClient({ url: stack.gatewayUrl, token: await stack.token(submodule), cachePath, pullIntervalMs: 0, pushOnWrite: false, pageSize: 2 });
  clients.push(created);
  return { client: created, cachePath };
}

interface CachedRow {
  id: string;
  version: number;
  sync_state: string;
  title: string;
}

/** The cache file's sessions as stored (read beside the open client: WAL allows it). */
function cachedSessions(cachePath: string): CachedRow[] {
  const db = new BetterSqlite3(cachePath, { readonly: true });
  try {
    return db
      .prepare(`SELECT id, version, sync_state, json_extract(data, '$.title') AS title FROM sessions ORDER BY id`)
      .all() as CachedRow[];
  } finally {
    db.close();
  }
}

function storedCursor(cachePath: string): string {
  const db = new BetterSqlite3(cachePath, { readonly: true });
  try {
    return (db.prepare(`SELECT value FROM metadata WHERE key = 'cursor:session'`).get() as { value: string }).value;
  } finally {
    db.close();
  }
}

/** Moves every change of the sessions feed an hour back, past both horizons, once its followers have applied it. */
async function ageSessionsFeed(): Promise<void> {
  await Promise.all([stack.patterns.catchUp(), stack.checkpoints.catchUp(), stack.search.indexer.catchUp()]);
  await stack.deps.database.db.execute(sql`update sessions.changes set at = now() - interval '1 hour'`);
}

/** Reads an archive file with nothing but gunzip and JSON.parse: header line, then one event per line. */
function readArchiveFile(path: string): { header: Record<string, unknown>; events: Array<Record<string, unknown>> } {
  const [header, ...events] = gunzipSync(readFileSync(path)).toString('utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  return { header: header!, events };
}

describe('a change feed compacted past a client cursor', () => {
  it('answers CURSOR_EXPIRED, and the SDK resyncs to the cache a new client gets, keeping its queued writes', async () => {
    const writer = await client(WRITER);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await writer.client.sessions.create({ title: `shared ${i}`, privacyLevel: 'TEAM' })).id);
    expect(await writer.client.flush()).toMatchObject({ remaining: 0 });

    const reader = await client(READER);
    const own = await reader.client.sessions.create({ title: 'reader note', privacyLevel: 'PRIVATE' });
    await reader.client.flush();
    expect(await reader.client.pull()).toMatchObject({ stoppedBy: null });
    expect(cachedSessions(reader.cachePath)).toHaveLength(7);
    const staleCursor = storedCursor(reader.cachePath);

    // While the reader is away: updates, deletions and new sessions, then compaction of all of it.
    await writer.client.sessions.update(ids[0]!, { title: 'shared 0, edited' });
    await writer.client.sessions.update(ids[1]!, { title: 'shared 1, edited' });
    await writer.client.sessions.delete(ids[2]!);
    await writer.client.sessions.delete(ids[3]!);
    ids.push((await writer.client.sessions.create({ title: 'shared 6', privacyLevel: 'TEAM' })).id);
    expect(await writer.client.flush()).toMatchObject({ remaining: 0 });
    await ageSessionsFeed();
    const { compacted } = await stack.sessions.runMaintenance();
    expect(compacted.horizon).toBeGreaterThan(0);

    // The reader's cursor is now behind the horizon: the gateway says so, naming the feed.
    const expired = await graphql(stack.gatewayUrl, 'query($after: String) { sessionChanges(after: $after) { cursor } }', { after: staleCursor }, await stack.token(READER));
    expect(expired.errors?.[0]?.extensions).toMatchObject({ code: 'CURSOR_EXPIRED', feed: 'sessionChanges', resync: 'omit-after' });
    expect(expired.status).toBe(200);
    expect(expired.data ?? null).toBeNull();

    // Queued on the reader meanwhile: a new session and an edit of its own.
    const queued = await reader.client.sessions.create({ title: 'written offline', privacyLevel: 'TEAM' });
    await reader.client.sessions.update(own.id, { title: 'reader note, edited offline' });
    expect(reader.client.status().pending).toBe(2);

    const pulled = await reader.client.pull();
    expect(pulled).toMatchObject({ stoppedBy: null });
    expect(pulled.pulledAt).not.toBeNull();
    expect(reader.client.status().pending).toBe(2);
    // The deletions' tombstones were compacted away: only the resync's sweep can have dropped these.
    const afterResync = cachedSessions(reader.cachePath);
    expect(afterResync.map((r) => r.id)).not.toContain(ids[2]);
    expect(afterResync.map((r) => r.id)).not.toContain(ids[3]);
    expect(afterResync.find((r) => r.id === queued.id)).toMatchObject({ sync_state: 'pending', title: 'written offline' });
    expect(afterResync.find((r) => r.id === own.id)).toMatchObject({ sync_state: 'pending', title: 'reader note, edited offline' });

    // A new client of the same submodule, from the same server: the same cache but for the queued writes.
    const fresh = await client(READER);
    expect(await fresh.client.pull()).toMatchObject({ stoppedBy: null });
    const pending = new Set([queued.id, own.id]);
    const synced = afterResync.filter((r) => !pending.has(r.id));
    expect(synced).toEqual(cachedSessions(fresh.cachePath).filter((r) => !pending.has(r.id)));
    expect(synced.map((r) => r.title).sort()).toEqual(['shared 0, edited', 'shared 1, edited', 'shared 4', 'shared 5', 'shared 6']);

    // Once the queued writes land, both caches hold the same sessions.
    expect(await reader.client.flush()).toMatchObject({ sent: 2, remaining: 0 });
    await reader.client.pull();
    await fresh.client.pull();
    const strip = (rows: CachedRow[]) => rows.map(({ id, version, title }) => ({ id, version, title }));
    expect(strip(cachedSessions(reader.cachePath))).toEqual(strip(cachedSessions(fresh.cachePath)));
    expect(cachedSessions(reader.cachePath).every((r) => r.sync_state === 'synced')).toBe(true);
  });

  it('keeps a client that pulls regularly ahead of the horizon, even when it may read none of the changes', async () => {
    const writer = await client(WRITER);
    const reader = await client(READER);
    await writer.client.sessions.create({ title: 'seen by the reader', privacyLevel: 'TEAM' });
    await writer.client.flush();
    expect(await reader.client.pull()).toMatchObject({ stoppedBy: null });
    // The writer's PRIVATE sessions: changes the reader never sees, created and deleted while it keeps pulling.
    const id = (await writer.client.sessions.create({ title: 'private, then deleted', privacyLevel: 'PRIVATE' })).id;
    await writer.client.flush();
    expect(await reader.client.pull()).toMatchObject({ received: { session: 0 } });
    await writer.client.sessions.delete(id);
    await writer.client.flush();
    expect(await reader.client.pull()).toMatchObject({ received: { session: 0 } });
    await ageSessionsFeed();
    expect((await stack.sessions.runMaintenance()).compacted.removed).toBeGreaterThan(0);
    const next = await graphql(stack.gatewayUrl, 'query($after: String) { sessionChanges(after: $after) { cursor } }', { after: storedCursor(reader.cachePath) }, await stack.token(READER));
    expect(next.errors).toBeUndefined();
  });
});

describe('audit events past their retention, through the sessions maintenance pass', () => {
  it('are written to MEMCTX_AUDIT_ARCHIVE_DIR, complete and readable, then removed; a plain DELETE still fails', async () => {
    const { db } = stack.deps.database;
    const longAgo = new Date(Date.now() - 8 * 365 * 86_400_000);
    const inserted = await db
      .insert(auditEvents)
      .values([1, 2, 3].map((n) => ({ actor: WRITER, action: `old.event.${n}`, resourceType: 'session', outcome: 'SUCCESS' as const, at: longAgo })))
      .returning({ seq: auditEvents.seq });
    const seqs = inserted.map((r) => r.seq);

    const { auditArchived } = await stack.sessions.runMaintenance();
    expect(auditArchived?.archived).toBe(3);
    const dir = stack.config.auditArchiveDir;
    expect(readdirSync(dir).filter((f) => f.endsWith('.jsonl.gz'))).toHaveLength(1);
    const { header, events } = readArchiveFile(auditArchived!.files[0]!);
    expect(header).toMatchObject({ rows: 3, fromSeq: seqs[0], toSeq: seqs[2] });
    expect(events.map((e) => [e.seq, e.action, e.actor])).toEqual(seqs.map((s, i) => [s, `old.event.${i + 1}`, WRITER]));
    const left = await rawRows<{ n: number }>(db, sql`select count(*)::int as n from audit.events where seq in (${sql.join(seqs.map((s) => sql`${s}`), sql`, `)})`);
    expect(left[0]?.n).toBe(0);

    const [kept] = await db.insert(auditEvents).values({ actor: WRITER, action: 'old.event.4', resourceType: 'session', outcome: 'SUCCESS', at: longAgo }).returning({ seq: auditEvents.seq });
    await expect(db.execute(sql`delete from audit.events where seq = ${kept!.seq}`)).rejects.toThrow();
    expect(await rawRows<{ n: number }>(db, sql`select count(*)::int as n from audit.events where seq = ${kept!.seq}`)).toEqual([{ n: 1 }]);
  });
});
