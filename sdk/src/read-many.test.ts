import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { v7 as uuidv7 } from 'uuid';
import { fakeGateway, fakeToken, type FakeGateway } from '../test-fixtures/fake-gateway.js';
import { createClient, type MemoryClient } from './client.js';

let open: MemoryClient[] = [];

function clientOf(gateway: FakeGateway): MemoryClient {
  const cachePath = join(mkdtempSync(join(tmpdir(), 'memctx-many-')), 'cache.db');
  const client = createClient({ url: 'http://gateway.test/graphql', token: fakeToken(), cachePath, pushOnWrite: false, pullIntervalMs: 0 }, { fetch: gateway.fetch });
  open.push(client);
  return client;
}

/** A gateway holding `n` sessions, written by another client. */
async function serverWith(n: number): Promise<{ gateway: FakeGateway; ids: string[] }> {
  const gateway = fakeGateway();
  const writer = clientOf(gateway);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await writer.sessions.create({ title: `session ${i}`, privacyLevel: 'TEAM' })).id);
  await writer.flush();
  gateway.calls.length = 0;
  return { gateway, ids };
}

afterEach(async () => {
  await Promise.all(open.map((c) => c.close()));
  open = [];
});

describe('getMany', () => {
  it('answers in the order asked from one request, null for what the server does not have, and caches what it got', async () => {
    const { gateway, ids } = await serverWith(3);
    const client = clientOf(gateway);
    const unknown = uuidv7();
    const asked = [ids[2]!, unknown, ids[0]!, ids[2]!];
    const results = await client.sessions.getMany(asked);
    expect(results.map((r) => r.data?.title ?? null)).toEqual(['session 2', null, 'session 0', 'session 2']);
    expect(results.map((r) => r.source)).toEqual(['network', 'network', 'network', 'network']);
    expect(gateway.calls).toEqual(['GetSessions']);
    expect((await client.sessions.get(ids[0]!, { fetchPolicy: 'cache-only' })).data?.title).toBe('session 0');
  });

  it('cache-first asks the server only for what the cache lacks; cache-only never asks', async () => {
    const { gateway, ids } = await serverWith(3);
    const client = clientOf(gateway);
    await client.sessions.get(ids[0]!);
    gateway.calls.length = 0;
    const results = await client.sessions.getMany(ids, { fetchPolicy: 'cache-first' });
    expect(results.map((r) => r.source)).toEqual(['cache', 'network', 'network']);
    expect(results.every((r) => r.data !== null)).toBe(true);
    expect(gateway.calls).toEqual(['GetSessions']);
    gateway.calls.length = 0;
    const offline = await client.sessions.getMany([...ids, uuidv7()], { fetchPolicy: 'cache-only' });
    expect(offline.map((r) => r.data !== null)).toEqual([true, true, true, false]);
    expect(gateway.calls).toEqual([]);
  });

  it('sends 100 ids a request', async () => {
    const { gateway, ids } = await serverWith(2);
    const client = clientOf(gateway);
    const asked = [...ids, ...Array.from({ length: 248 }, () => uuidv7())];
    const results = await client.sessions.getMany(asked);
    expect(results).toHaveLength(250);
    expect(results.filter((r) => r.data !== null)).toHaveLength(2);
    expect(gateway.calls).toEqual(['GetSessions', 'GetSessions', 'GetSessions']);
  });

  it('answers from the cache, marked stale, when the gateway cannot be reached; network-only throws', async () => {
    const { gateway, ids } = await serverWith(2);
    const client = clientOf(gateway);
    await client.sessions.get(ids[0]!);
    gateway.down = true;
    const results = await client.sessions.getMany(ids);
    expect(results.map((r) => [r.data?.title ?? null, r.stale])).toEqual([['session 0', true], [null, true]]);
    await expect(client.sessions.getMany(ids, { fetchPolicy: 'network-only' })).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
  });

  it('reads its own queued writes from the cache, and asks a gateway without the …ByIds fields id by id', async () => {
    const { gateway, ids } = await serverWith(2);
    const client = clientOf(gateway);
    const mine = await client.sessions.create({ title: 'not sent yet', privacyLevel: 'TEAM' });
    gateway.failNext('GetSessions', { type: 'code', code: 'GRAPHQL_VALIDATION_FAILED' });
    const results = await client.sessions.getMany([mine.id, ...ids]);
    expect(results.map((r) => r.data?.title)).toEqual(['not sent yet', 'session 0', 'session 1']);
    expect(results[0]!.source).toBe('cache');
    expect(gateway.calls).toEqual(['GetSessions', 'GetSession', 'GetSession']);
  });
});
