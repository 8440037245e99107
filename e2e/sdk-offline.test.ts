import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sessions } from '@memory-context/db';
import { createClient, type MemoryClient, type Session } from '@memory-context/sdk';
import { startTestStack, type TestStack } from './src/index.js';

let stack: TestStack;
let client: MemoryClient;
let sent = 0;
const SUBMODULE = 'sdk-offline';

beforeAll(async () => {
  stack = await startTestStack();
  const token = await stack.token(SUBMODULE);
  const cachePath = join(mkdtempSync(join(tmpdir(), 'memctx-sdk-')), 'cache.db');
  client = createClient({ url: stack.gatewayUrl, token, cachePath, pullIntervalMs: 0 });
  // Retries on its own timer may send part of the queue before the test's flush: count every flush.
  client.on('flushed', (result) => {
    sent += result.sent;
  });
});
afterAll(async () => {
  await client?.close();
  await stack?.stop();
});

async function serverRows() {
  return stack.deps.database.db
    .select({ id: sessions.id, title: sessions.title, version: sessions.version })
    .from(sessions)
    .where(and(eq(sessions.submoduleId, SUBMODULE), isNull(sessions.deletedAt)));
}

describe('with the gateway down', () => {
  const created: Session[] = [];

  it('creates 50 sessions and updates 10 of them at once, from the cache', async () => {
    await stack.stopGateway();
    for (let i = 0; i < 50; i++) {
      created.push(
        await client.sessions.create({
          title: `Offline note ${i}`,
          privacyLevel: 'TEAM',
          tags: ['offline', `n${i}`],
          content: [{ role: 'user', text: `Remember the kumquat deployment step ${i}; mail ops@example.com` }],
        }),
      );
    }
    for (const session of created.slice(0, 10)) {
      const updated = await client.sessions.update(session.id, { title: `${session.title} (edited)` });
      expect(updated.version).toBe(2);
    }
    const flushed = await client.flush();
    expect(flushed).toMatchObject({ online: false, code: 'NETWORK_ERROR', stoppedBy: { code: 'NETWORK_ERROR' } });
    expect(flushed.reason).toMatch(/could not be reached/);
    expect(sent).toBe(0);
    expect(client.status()).toMatchObject({ pending: 60, online: false });
    expect(await serverRows()).toEqual([]);
  });

  it("runs the README's loop: sync() and flush() resolve with online: false and the reason, and nothing throws", async () => {
    const errors: string[] = [];
    const onError = (e: { code: string }) => errors.push(e.code);
    client.on('sync-error', onError);
    const synced = await client.sync();
    expect(synced).toMatchObject({ online: false, code: 'NETWORK_ERROR', pushed: { online: false, remaining: 60 }, pulled: { pages: 0, pulledAt: null } });
    expect(synced.reason).toMatch(/could not be reached/);
    expect(await client.pull()).toMatchObject({ online: false, code: 'NETWORK_ERROR', pulledAt: null });
    expect(await client.flush()).toMatchObject({ online: false, code: 'NETWORK_ERROR', remaining: 60 });
    expect(errors.length).toBeGreaterThanOrEqual(3);
    expect(new Set(errors)).toEqual(new Set(['NETWORK_ERROR']));
    client.off('sync-error', onError);
    expect(client.status()).toMatchObject({ online: false, pending: 60 });
    expect(client.status().lastPullAt).toBeNull();
  });

  it('redacted the content before it was queued', () => {
    expect(created[0]?.content[0]?.text).toContain('o***@example.com');
    expect(created[0]?.redaction.total).toBe(1);
  });

  it('reads every session back from the cache and says so', async () => {
    for (const [i, session] of created.entries()) {
      const read = await client.sessions.get(session.id);
      expect(read.source).toBe('cache');
      expect(read.syncState).toBe('pending');
      expect(read.data?.title).toBe(i < 10 ? `Offline note ${i} (edited)` : `Offline note ${i}`);
    }
    const fresh = await client.sessions.get('01937f3a-1c2b-7d4e-8f90-123456789abc');
    expect(fresh).toMatchObject({ data: null, source: 'cache', stale: true });
    const listed = await client.sessions.list({ tags: ['offline'] }, { first: 100 });
    expect(listed).toMatchObject({ source: 'cache', stale: true });
    expect(listed.nodes).toHaveLength(50);
    // A server cursor cannot continue in the cache: an empty stale page, not an error.
    expect(await client.sessions.list(null, { after: 'c2VydmVyLWN1cnNvcg' })).toMatchObject({ nodes: [], source: 'cache', stale: true, pageInfo: { hasNextPage: false } });
    // Patterns and checkpoints too: writes queue, reads come from the cache.
    const pattern = await client.patterns.create({ kind: 'SOLUTION', name: 'Offline kumquat lesson', privacyLevel: 'TEAM' });
    await client.patterns.use(pattern.id);
    expect(await client.patterns.get(pattern.id)).toMatchObject({ source: 'cache', data: { usageCount: 1 } });
    expect(await client.patterns.list()).toMatchObject({ source: 'cache', stale: true });
    const checkpoint = await client.checkpoints.create({ title: 'Offline checkpoint', privacyLevel: 'TEAM' });
    expect(await client.checkpoints.get(checkpoint.id)).toMatchObject({ source: 'cache', data: { title: 'Offline checkpoint' } });
    expect(await client.checkpoints.list()).toMatchObject({ source: 'cache', stale: true });
    await client.patterns.delete(pattern.id);
    await client.checkpoints.delete(checkpoint.id);
  });

  it('searches them offline with FTS5', async () => {
    const result = await client.search('kumquat deployment', { limit: 100 });
    expect(result.source).toBe('cache');
    expect(result.hits).toHaveLength(50);
    const edited = await client.search('edited', { limit: 100 });
    expect(edited.hits.map((h) => h.id).sort()).toEqual(created.slice(0, 10).map((s) => s.id).sort());
  });
});

describe('when the gateway is back', () => {
  it('sends everything once, with matching versions, and marks the cache synced', async () => {
    await stack.startGateway();
    const flushed = await client.flush();
    expect(flushed).toMatchObject({ rejected: 0, conflicts: 0, remaining: 0 });
    expect(sent).toBe(65); // 50 creates, 10 updates; a pattern created, used, deleted; a checkpoint created, deleted

    const rows = await serverRows();
    expect(rows).toHaveLength(50);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const list = await client.sessions.list({ tags: ['offline'] }, { fetchPolicy: 'cache-only', first: 100 });
    for (const session of list.nodes) {
      const row = byId.get(session.id);
      expect(row, session.title).toBeDefined();
      expect(session.version).toBe(row!.version);
      expect(session.title).toBe(row!.title);
      expect(row!.version).toBe(session.title.endsWith('(edited)') ? 2 : 1);
      expect((await client.sessions.get(session.id, { fetchPolicy: 'cache-only' })).syncState).toBe('synced');
    }
    expect(client.status()).toMatchObject({ pending: 0, rejected: 0, conflicts: 0, online: true });

    // A second flush and a pull change nothing on the server.
    await client.sync();
    expect(await serverRows()).toHaveLength(50);
  });

  it('answers network-first reads from the gateway again', async () => {
    const list = await client.sessions.list({ tags: ['offline'] }, { first: 5 });
    expect(list).toMatchObject({ source: 'network', stale: false });
    expect(list.nodes).toHaveLength(5);
  });
});
