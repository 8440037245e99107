import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { createClient, type ConflictRecord, type MemoryClient } from '@memory-context/sdk';
import { GET_SESSION, graphql, ok, startTestStack, type TestStack } from './src/index.js';

let stack: TestStack;
let token: string;
let online: MemoryClient;
let offline: MemoryClient;

function client(): MemoryClient {
  const cachePath = join(mkdtempSync(join(tmpdir(), 'memctx-sdk-conflict-')), 'cache.db');
  // No background pushes: the test decides when each client talks to the gateway.
  return createClient({ url: stack.gatewayUrl, token, cachePath, pushOnWrite: false, pullIntervalMs: 0 });
}

beforeAll(async () => {
  stack = await startTestStack();
  token = await stack.token('sdk-conflicts');
  online = client();
  offline = client();
});
afterAll(async () => {
  await online?.close();
  await offline?.close();
  await stack?.stop();
});

it('keeps the server copy in both caches, the offline change in conflicts, and lands it on reapply', async () => {
  const session = await online.sessions.create({ title: 'Shared plan', privacyLevel: 'TEAM', tags: ['plan'] });
  await online.flush();
  await offline.sync();
  expect((await offline.sessions.get(session.id, { fetchPolicy: 'cache-only' })).data).toMatchObject({ title: 'Shared plan', version: 1 });

  // The second client edits while the gateway is down.
  await stack.stopGateway();
  await offline.sessions.update(session.id, { title: 'Plan B (offline edit)', tags: ['plan', 'offline'] });
  expect((await offline.flush()).stoppedBy?.code).toBe('NETWORK_ERROR');
  await stack.startGateway();

  // Meanwhile the first client's edit lands.
  await online.sessions.update(session.id, { title: 'Plan A (online edit)' });
  expect(await online.flush()).toMatchObject({ sent: 1, remaining: 0 });

  const events: ConflictRecord[] = [];
  offline.on('conflict', (c) => events.push(c));
  expect(await offline.flush()).toMatchObject({ sent: 0, conflicts: 1, remaining: 0 });
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({ kind: 'session', entityId: session.id, baseVersion: 1, serverVersion: 2 });

  // Central wins in both caches.
  await online.sync();
  for (const c of [online, offline]) {
    const read = await c.sessions.get(session.id, { fetchPolicy: 'cache-only' });
    expect(read.data).toMatchObject({ title: 'Plan A (online edit)', version: 2, tags: ['plan'] });
  }
  expect((await offline.sessions.get(session.id, { fetchPolicy: 'cache-only' })).syncState).toBe('conflict');
  const [conflict] = offline.conflicts.list();
  expect(conflict?.localWrites).toEqual([expect.objectContaining({ op: 'update', baseVersion: 1, input: expect.objectContaining({ title: 'Plan B (offline edit)' }) })]);
  expect(offline.status().conflicts).toBe(1);

  // Reapply: the offline change goes on top of the server copy.
  await offline.conflicts.resolve(conflict!.id, 'reapply');
  expect(offline.conflicts.list()).toEqual([]);
  expect(await offline.flush()).toMatchObject({ sent: 1, conflicts: 0, remaining: 0 });
  const server = ok(await graphql(stack.gatewayUrl, GET_SESSION, { id: session.id }, token)).session;
  expect(server).toMatchObject({ title: 'Plan B (offline edit)', version: 3, tags: ['plan', 'offline'] });
  await online.sync();
  for (const c of [online, offline]) {
    const read = await c.sessions.get(session.id, { fetchPolicy: 'cache-only' });
    expect(read).toMatchObject({ syncState: 'synced', data: { title: 'Plan B (offline edit)', version: 3 } });
  }
});

it('drops the local change on discard and keeps the server copy', async () => {
  const session = await online.sessions.create({ title: 'Discard me', privacyLevel: 'TEAM' });
  await online.flush();
  await offline.sync();
  await offline.sessions.update(session.id, { title: 'Local idea' });
  await online.sessions.update(session.id, { title: 'Server idea' });
  await online.flush();
  expect(await offline.flush()).toMatchObject({ conflicts: 1 });
  const conflict = offline.conflicts.list().find((c) => c.entityId === session.id);
  await offline.conflicts.resolve(conflict!.id, 'discard');
  expect(await offline.flush()).toMatchObject({ sent: 0, remaining: 0 });
  expect(await offline.sessions.get(session.id, { fetchPolicy: 'cache-only' })).toMatchObject({ syncState: 'synced', data: { title: 'Server idea', version: 2 } });
});
