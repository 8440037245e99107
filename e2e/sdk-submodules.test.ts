import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createClient, type MemoryClient } from '@memory-context/sdk';
import { startTestStack, type TestStack } from './src/index.js';

let stack: TestStack;
let a: MemoryClient;
let b: MemoryClient;

beforeAll(async () => {
  stack = await startTestStack();
  const open = async (submodule: string) =>
    createClient({
      url: stack.gatewayUrl,
      token: await stack.token(submodule),
      cachePath: join(mkdtempSync(join(tmpdir(), `memctx-sdk-${submodule}-`)), 'cache.db'),
      pushOnWrite: false,
      pullIntervalMs: 0,
    });
  a = await open('submodule-a');
  b = await open('submodule-b');
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await stack?.stop();
});

it("brings A's shared session into B's cache, never A's PRIVATE one, and removes it after A's GDPR deletion", async () => {
  const shared = await a.sessions.create({ title: 'Zephyr migration notes', privacyLevel: 'TEAM', content: [{ role: 'assistant', text: 'Use the zephyr flag' }] });
  const secret = await a.sessions.create({ title: 'Zephyr private notes', privacyLevel: 'PRIVATE' });
  const scratch = await a.sessions.create({ title: 'Zephyr scratch', privacyLevel: 'EPHEMERAL' });
  expect(await a.flush()).toMatchObject({ sent: 2, remaining: 0 });

  const pulled = await b.sync();
  expect(pulled.pulled.received.session).toBeGreaterThanOrEqual(1);
  expect((await b.sessions.get(shared.id, { fetchPolicy: 'cache-only' })).data).toMatchObject({ title: 'Zephyr migration notes', submoduleId: 'submodule-a', version: 1 });
  expect((await b.sessions.get(secret.id, { fetchPolicy: 'cache-only' })).data).toBeNull();
  expect((await b.sessions.get(scratch.id, { fetchPolicy: 'cache-only' })).data).toBeNull();
  expect((await b.search('zephyr', { fetchPolicy: 'cache-only' })).hits.map((h) => h.id)).toEqual([shared.id]);
  // Online, the gateway's search applies the same access rules.
  await stack.search.indexer.catchUp();
  const online = await b.search('zephyr');
  expect(online.source).toBe('network');
  expect(online.hits.map((h) => h.id)).toContain(shared.id);
  expect(online.hits.map((h) => h.id)).not.toContain(secret.id);
  // A keeps its own PRIVATE and EPHEMERAL sessions.
  expect((await a.sessions.get(secret.id, { fetchPolicy: 'cache-only' })).syncState).toBe('synced');
  expect((await a.sessions.get(scratch.id)).syncState).toBe('local');

  await a.sessions.delete(shared.id, { gdprRequest: true, reason: 'Art. 17 request (SDK e2e)' });
  expect(await a.flush()).toMatchObject({ sent: 1, remaining: 0 });
  // Still cached in B until its next pull.
  expect((await b.sessions.get(shared.id, { fetchPolicy: 'cache-only' })).data).not.toBeNull();
  const after = await b.sync();
  expect(after.pulled.deleted).toBeGreaterThanOrEqual(1);
  expect((await b.sessions.get(shared.id, { fetchPolicy: 'cache-only' })).data).toBeNull();
  expect((await b.search('zephyr', { fetchPolicy: 'cache-only' })).hits).toEqual([]);
  expect((await b.sessions.get(shared.id)).data).toBeNull();
});
