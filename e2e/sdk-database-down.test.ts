import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { createClient, type MemoryClient } from '@memory-context/sdk';
import { startTestStack, type TestStack } from './src/index.js';

let stack: TestStack;
let client: MemoryClient;

beforeAll(async () => {
  stack = await startTestStack();
  const token = await stack.token('sdk-database-down');
  client = createClient({ url: stack.gatewayUrl, token, cachePath: join(mkdtempSync(join(tmpdir(), 'memctx-dbdown-')), 'cache.db'), pullIntervalMs: 0, pushOnWrite: false });
});
afterAll(async () => {
  await client?.close();
  await stack?.stop().catch(() => undefined); // its database is already closed
});

it('keeps working from the cache when the database behind the gateway is gone: nothing throws, sync() and flush() say offline', async () => {
  const kept = await client.sessions.create({ title: 'Written before the database went away', privacyLevel: 'TEAM' });
  expect(await client.sync()).toMatchObject({ online: true, code: null });
  await stack.testDatabase.close();

  const later = await client.sessions.create({ title: 'Written while the database is away', privacyLevel: 'TEAM' });
  expect(await client.sessions.get(kept.id)).toMatchObject({ source: 'cache', stale: true, data: { id: kept.id } });
  expect(await client.sessions.list()).toMatchObject({ source: 'cache', stale: true });
  expect((await client.search('database away')).source).toBe('cache');
  // The gateway answers, but cannot reach the data: a server-side code (UNAVAILABLE, or INTERNAL before it existed), not a network error.
  const flushed = await client.flush();
  expect(flushed).toMatchObject({ online: false, remaining: 1 });
  expect(['UNAVAILABLE', 'INTERNAL']).toContain(flushed.code);
  const synced = await client.sync();
  expect(synced).toMatchObject({ online: false, pulled: { pulledAt: null } });
  expect(['UNAVAILABLE', 'INTERNAL']).toContain(synced.code);
  expect(client.status()).toMatchObject({ pending: 1 });
  expect((await client.sessions.get(later.id)).syncState).toBe('pending');
});
