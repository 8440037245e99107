import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { fakeGateway, fakeToken, type FakeGateway } from '../test-fixtures/fake-gateway.js';
import { createClient, type MemoryClient } from './client.js';
import type { Session } from './entities.js';

let open: MemoryClient[] = [];

function client(gateway: FakeGateway, options: Parameters<typeof createClient>[0] = {}): MemoryClient {
  const cachePath = join(mkdtempSync(join(tmpdir(), 'memctx-puller-')), 'cache.db');
  const c = createClient(
    { url: 'http://gateway.test/graphql', token: fakeToken(), cachePath, pushOnWrite: false, pullIntervalMs: 0, backoffBaseMs: 10, backoffMaxMs: 20, ...options },
    { fetch: gateway.fetch },
  );
  open.push(c);
  return c;
}

afterEach(async () => {
  await Promise.all(open.map((c) => c.close()));
  open = [];
});

/** The cache's synced rows as a fresh client would hold them: id, version, title. */
async function synced(c: MemoryClient): Promise<Array<Pick<Session, 'id' | 'version' | 'title'>>> {
  const { nodes } = await c.sessions.list(null, { fetchPolicy: 'cache-only', first: 1000 });
  const rows = [];
  for (const node of nodes) {
    if ((await c.sessions.get(node.id, { fetchPolicy: 'cache-only' })).syncState === 'synced') rows.push({ id: node.id, version: node.version, title: node.title });
  }
  return rows.sort((a, b) => a.id.localeCompare(b.id));
}

/** Sessions written on the server by another client. */
async function seed(gateway: FakeGateway, titles: string[]): Promise<string[]> {
  const writer = client(gateway);
  const ids = [];
  for (const title of titles) ids.push((await writer.sessions.create({ title, privacyLevel: 'TEAM' })).id);
  expect(await writer.flush()).toMatchObject({ remaining: 0 });
  return ids;
}

describe('pull after CURSOR_EXPIRED', () => {
  it('resyncs the feed from scratch, drops what the server deleted meanwhile, keeps pending writes, and ends as a fresh client', async () => {
    const gateway = fakeGateway();
    const [kept, deleted, edited] = await seed(gateway, ['kept', 'deleted', 'edited']);
    const c = client(gateway, { pageSize: 2 });
    expect(await c.pull()).toMatchObject({ stoppedBy: null, resynced: [] });
    expect((await synced(c)).map((r) => r.id).sort()).toEqual([kept, deleted, edited].sort());

    // Local writes waiting for the gateway: an update of a pulled session and a new session.
    await c.sessions.update(kept!, { title: 'kept, edited here' });
    const mine = await c.sessions.create({ title: 'created here', privacyLevel: 'TEAM' });
    gateway.deleteOnServer(deleted!);
    gateway.editOnServer(edited!, 'edited on the server');
    // The server compacts its feed: the tombstone of `deleted` is gone, and the client's cursor with it.
    gateway.compactFeed();

    const result = await c.pull();
    expect(result).toMatchObject({ stoppedBy: null, resynced: ['session'], skipped: 1 });
    expect(result.pulledAt).not.toBeNull();
    expect((await c.sessions.get(deleted!, { fetchPolicy: 'cache-only' })).data).toBeNull();
    expect((await c.sessions.get(edited!, { fetchPolicy: 'cache-only' })).data).toMatchObject({ title: 'edited on the server', version: 2 });
    // No pending write is lost.
    expect(c.status().pending).toBe(2);
    expect(await c.sessions.get(kept!, { fetchPolicy: 'cache-only' })).toMatchObject({ syncState: 'pending', data: { title: 'kept, edited here' } });
    expect(await c.sessions.get(mine.id, { fetchPolicy: 'cache-only' })).toMatchObject({ syncState: 'pending' });

    // The synced rows are what a fresh client pulls.
    const fresh = client(gateway);
    await fresh.pull();
    expect(await synced(c)).toEqual((await synced(fresh)).filter((r) => r.id !== kept));

    // Later pulls go on from the new cursor, and the queued writes land.
    expect(await c.flush()).toMatchObject({ sent: 2, remaining: 0 });
    expect(await c.pull()).toMatchObject({ stoppedBy: null, resynced: [] });
    expect(gateway.sessions.get(kept!)).toMatchObject({ title: 'kept, edited here' });
  });

  it('finishes a resync cut short on the next pull', async () => {
    const gateway = fakeGateway();
    const ids = await seed(gateway, ['a', 'b', 'c', 'd']);
    const c = client(gateway, { pageSize: 1 });
    await c.pull();
    gateway.deleteOnServer(ids[0]!);
    gateway.compactFeed();
    // CURSOR_EXPIRED, then the first page of the resync, then the network goes.
    gateway.failNext('PullChanges', { type: 'pass' }, { type: 'pass' }, { type: 'network' });
    const cut = await c.pull();
    expect(cut).toMatchObject({ resynced: ['session'], pulledAt: null, stoppedBy: { code: 'NETWORK_ERROR' } });
    // Not yet known to be gone: the resync has not seen the whole feed.
    expect((await c.sessions.get(ids[0]!, { fetchPolicy: 'cache-only' })).data).not.toBeNull();

    const resumed = await c.pull();
    expect(resumed).toMatchObject({ stoppedBy: null, resynced: [] });
    expect((await c.sessions.get(ids[0]!, { fetchPolicy: 'cache-only' })).data).toBeNull();
    expect((await synced(c)).map((r) => r.id).sort()).toEqual(ids.slice(1).sort());
  });

  it('stops with the error when the server refuses even a cursor-less pull', async () => {
    const gateway = fakeGateway();
    const c = client(gateway);
    gateway.failNext('PullChanges', { type: 'code', code: 'CURSOR_EXPIRED' });
    expect(await c.pull()).toMatchObject({ resynced: [], pulledAt: null, stoppedBy: { code: 'CURSOR_EXPIRED' } });
  });
});
