import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { fakeGateway, fakeToken, type FakeGateway } from '../test-fixtures/fake-gateway.js';
import { createClient, type MemoryClient } from './client.js';
import type { SdkError } from './errors.js';

let open: MemoryClient[] = [];

function setup(options: Parameters<typeof createClient>[0] = {}): { client: MemoryClient; gateway: FakeGateway } {
  const gateway = fakeGateway();
  const cachePath = join(mkdtempSync(join(tmpdir(), 'memctx-unit-')), 'cache.db');
  const client = createClient(
    { url: 'http://gateway.test/graphql', token: fakeToken(), cachePath, pushOnWrite: false, pullIntervalMs: 0, backoffBaseMs: 10, backoffMaxMs: 20, ...options },
    { fetch: gateway.fetch },
  );
  open.push(client);
  return { client, gateway };
}

afterEach(async () => {
  await Promise.all(open.map((c) => c.close()));
  open = [];
});

describe('with the gateway down', () => {
  it('sync() and flush() resolve with online: false, the reason and the code, and report it as an event', async () => {
    const { client, gateway } = setup();
    const errors: SdkError[] = [];
    client.on('sync-error', (e) => errors.push(e));
    await client.sessions.create({ title: 'queued', privacyLevel: 'TEAM' });
    gateway.down = true;

    const flushed = await client.flush();
    expect(flushed).toMatchObject({ online: false, code: 'NETWORK_ERROR', remaining: 1, sent: 0 });
    expect(flushed.reason).toMatch(/could not be reached/);

    const synced = await client.sync();
    expect(synced).toMatchObject({ online: false, code: 'NETWORK_ERROR', pushed: { remaining: 1 }, pulled: { pages: 0, pulledAt: null } });
    expect(synced.reason).toMatch(/could not be reached/);
    expect(errors.map((e) => e.code)).toContain('NETWORK_ERROR');
    expect(client.status()).toMatchObject({ online: false, pending: 1, offlineCode: 'NETWORK_ERROR', offlineReason: expect.stringMatching(/could not be reached/) });

    const pulled = await client.pull();
    expect(pulled).toMatchObject({ online: false, code: 'NETWORK_ERROR', pulledAt: null });
  });

  it('sync() with nothing queued still says it is offline (the pull could not ask)', async () => {
    const { client, gateway } = setup();
    gateway.down = true;
    expect(await client.sync()).toMatchObject({ online: false, code: 'NETWORK_ERROR', pushed: { sent: 0, remaining: 0 } });
    // A flush with nothing to send asks nothing: it reports what the last request found.
    expect(await client.flush()).toMatchObject({ online: false, code: 'NETWORK_ERROR', remaining: 0 });
  });

  it('a 5xx without a GraphQL body (a gateway whose subgraph or database is down) counts as offline too', async () => {
    const { client, gateway } = setup();
    gateway.failNext('PullChanges', { type: 'status', status: 503 });
    expect(await client.sync()).toMatchObject({ online: false, pulled: { pulledAt: null } });
    expect(await client.sync()).toMatchObject({ online: true, code: null, reason: null });
    expect(client.status()).toMatchObject({ online: true, offlineCode: null, offlineReason: null });
  });

  it('every method of the normal loop answers from the cache', async () => {
    const { client, gateway } = setup();
    const kept = await client.sessions.create({ title: 'kumquat notes', privacyLevel: 'TEAM' });
    const pattern = await client.patterns.create({ kind: 'SOLUTION', name: 'kumquat fix', privacyLevel: 'TEAM' });
    expect((await client.sync()).online).toBe(true);
    gateway.down = true;

    const session = await client.sessions.create({ title: 'offline kumquat', privacyLevel: 'TEAM' });
    await client.sessions.update(kept.id, { title: 'kumquat notes (edited)' });
    expect(await client.sessions.get(session.id)).toMatchObject({ source: 'cache', data: { title: 'offline kumquat' } });
    expect(await client.sessions.get(kept.id)).toMatchObject({ source: 'cache', data: { title: 'kumquat notes (edited)' } });
    expect((await client.sessions.list()).nodes.map((s) => s.id).sort()).toEqual([kept.id, session.id].sort());
    // A server cursor cannot continue from the cache: an empty stale page, not an error.
    expect(await client.sessions.list(null, { after: 'c2VydmVyLWN1cnNvcg' })).toMatchObject({ nodes: [], stale: true, pageInfo: { hasNextPage: false } });
    await client.patterns.use(pattern.id);
    expect(await client.patterns.list()).toMatchObject({ source: 'cache', stale: true });
    expect(await client.patterns.get(pattern.id)).toMatchObject({ source: 'cache', data: { usageCount: 1 } });
    const checkpoint = await client.checkpoints.create({ title: 'offline checkpoint', privacyLevel: 'TEAM' });
    expect(await client.checkpoints.get(checkpoint.id)).toMatchObject({ source: 'cache' });
    expect(await client.checkpoints.list()).toMatchObject({ source: 'cache', stale: true });
    expect((await client.search('kumquat')).source).toBe('cache');
    await client.sessions.delete(session.id);
    await client.checkpoints.delete(checkpoint.id);
    expect(await client.flush()).toMatchObject({ online: false });
    expect(client.status()).toMatchObject({ online: false });
    expect(client.status().pending).toBeGreaterThan(0);
  });
});

describe('offlineQueue and retryAttempts (cache.config.json sync.offline_queue_enabled, sync.retry_attempts)', () => {
  it('offlineQueue false: a write made while the client knows it is offline throws that error and changes nothing', async () => {
    const { client, gateway } = setup({ offlineQueue: false });
    const kept = await client.sessions.create({ title: 'online write', privacyLevel: 'TEAM' });
    expect(await client.flush()).toMatchObject({ online: true, sent: 1 });
    gateway.down = true;
    expect(await client.sync()).toMatchObject({ online: false });
    await expect(client.sessions.create({ title: 'offline write', privacyLevel: 'TEAM' })).rejects.toMatchObject({ code: 'NETWORK_ERROR', message: /offline queue is off/ });
    await expect(client.sessions.update(kept.id, { title: 'changed' })).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    await expect(client.sessions.delete(kept.id)).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    await expect(client.patterns.create({ kind: 'SOLUTION', name: 'p', privacyLevel: 'TEAM' })).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    // EPHEMERAL writes are never queued: they still work.
    await client.sessions.create({ title: 'scratch', privacyLevel: 'EPHEMERAL' });
    expect(client.status().pending).toBe(0);
    expect((await client.sessions.get(kept.id, { fetchPolicy: 'cache-only' })).data?.title).toBe('online write');
    gateway.down = false;
    expect(await client.sync()).toMatchObject({ online: true });
    await client.sessions.update(kept.id, { title: 'changed' });
    expect(client.status().pending).toBe(1);
  });

  it('retryAttempts bounds the automatic retries in a row; a later sync() sends the queue', async () => {
    const { client, gateway } = setup({ pushOnWrite: true, retryAttempts: 2 });
    const errors: SdkError[] = [];
    gateway.down = true;
    const quiet = new Promise<void>((resolve) => {
      client.on('sync-error', (e) => {
        errors.push(e);
        if (errors.length === 3) setTimeout(resolve, 300); // 15 backoffs of 20 ms: room for more retries, were any due
      });
    });
    await client.sessions.create({ title: 'waits', privacyLevel: 'TEAM' });
    await quiet;
    // The first push on write, then two retries.
    expect(errors.map((e) => e.code)).toEqual(['NETWORK_ERROR', 'NETWORK_ERROR', 'NETWORK_ERROR']);
    gateway.down = false;
    expect(await client.sync()).toMatchObject({ online: true, pushed: { sent: 1, remaining: 0 } });
  });
});

describe('a pull cut short', () => {
  it('keeps the pages it applied, resolves with the reason, and resumes from there', async () => {
    const source = setup();
    for (let i = 0; i < 5; i++) await source.client.sessions.create({ title: `s${i}`, privacyLevel: 'TEAM' });
    await source.client.flush();
    let pulls = 0;
    // The connection drops on the second page.
    const fetchOnce: typeof fetch = async (url, init) => {
      if (String(init?.body).includes('PullChanges') && ++pulls === 2) throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
      return source.gateway.fetch(url, init);
    };
    const cachePath = join(mkdtempSync(join(tmpdir(), 'memctx-unit-')), 'cache.db');
    const client = createClient({ url: 'http://gateway.test/graphql', token: fakeToken('other'), cachePath, pushOnWrite: false, pullIntervalMs: 0, pageSize: 2 }, { fetch: fetchOnce });
    open.push(client);
    const cut = await client.pull();
    expect(cut).toMatchObject({ online: false, code: 'NETWORK_ERROR', pages: 1, pulledAt: null, received: { session: 2 } });
    expect((await client.sessions.list(null, { fetchPolicy: 'cache-only' })).nodes).toHaveLength(2);
    expect(client.status().lastPullAt).toBeNull();
    const resumed = await client.pull();
    expect(resumed).toMatchObject({ online: true, code: null, received: { session: 3 } });
    expect(resumed.pulledAt).not.toBeNull();
    expect((await client.sessions.list(null, { fetchPolicy: 'cache-only' })).nodes).toHaveLength(5);
  });
});

describe('with no gateway configured', () => {
  it('sync() and flush() resolve with online: false and NOT_CONFIGURED', async () => {
    const { client } = setup({ url: undefined });
    await client.sessions.create({ title: 'queued', privacyLevel: 'TEAM' });
    expect(await client.flush()).toMatchObject({ online: false, code: 'NOT_CONFIGURED' });
    expect(await client.sync()).toMatchObject({ online: false, code: 'NOT_CONFIGURED' });
  });
});

describe('programming errors throw with a stable code', () => {
  it('a closed client: CLIENT_CLOSED from every method, as a rejection for the async ones', async () => {
    const { client } = setup();
    await client.close();
    const closed = { code: 'CLIENT_CLOSED' };
    await expect(client.sessions.create({ title: 'x', privacyLevel: 'TEAM' })).rejects.toMatchObject(closed);
    await expect(client.sessions.get('x')).rejects.toMatchObject(closed);
    await expect(client.sessions.list()).rejects.toMatchObject(closed);
    await expect(client.patterns.use('x')).rejects.toMatchObject(closed);
    await expect(client.checkpoints.list()).rejects.toMatchObject(closed);
    await expect(client.search('x')).rejects.toMatchObject(closed);
    await expect(client.sync()).rejects.toMatchObject(closed);
    await expect(client.flush()).rejects.toMatchObject(closed);
    await expect(client.pull()).rejects.toMatchObject(closed);
    await expect(client.conflicts.resolve('x', 'discard')).rejects.toMatchObject(closed);
    expect(() => client.status()).toThrow(expect.objectContaining(closed));
    expect(() => client.conflicts.list()).toThrow(expect.objectContaining(closed));
    expect(() => client.outbox.export()).toThrow(expect.objectContaining(closed));
    await client.close(); // closing twice is fine
  });

  it('bad input: BAD_USER_INPUT before anything is cached or queued', async () => {
    const { client } = setup();
    await expect(client.sessions.create({ title: 'x', privacyLevel: 'SECRET' as never })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(client.sessions.delete('x', { gdprRequest: true })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(client.status().pending).toBe(0);
  });
});
