import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from '@jest/globals';
import { fakeGateway, fakeToken, type FakeGateway } from '../test-fixtures/fake-gateway.js';
import { createClient, type MemoryClient } from './client.js';
import type { ConflictRecord } from './conflicts.js';
import type { RejectedWrite } from './rejected.js';

let open: MemoryClient[] = [];

function setup(options: Parameters<typeof createClient>[0] = {}): { client: MemoryClient; gateway: FakeGateway; cachePath: string } {
  const gateway = fakeGateway();
  const cachePath = join(mkdtempSync(join(tmpdir(), 'memctx-unit-')), 'cache.db');
  const client = createClient(
    { url: 'http://gateway.test/graphql', token: fakeToken(), cachePath, pushOnWrite: false, pullIntervalMs: 0, backoffBaseMs: 10, backoffMaxMs: 20, ...options },
    { fetch: gateway.fetch },
  );
  open.push(client);
  return { client, gateway, cachePath };
}

afterEach(async () => {
  await Promise.all(open.map((c) => c.close()));
  open = [];
});

describe('writes', () => {
  it('return at once with a UUIDv7, cached and queued in one transaction, redacted first', async () => {
    const { client, gateway } = setup();
    const session = await client.sessions.create({ title: 'Call 555-123-4567', privacyLevel: 'PUBLIC', content: [{ role: 'user', text: 'key AKIAIOSFODNN7EXAMPLE' }] });
    expect(session.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
    expect(gateway.calls).toEqual([]);
    expect(client.status().pending).toBe(1);
    const queued = client.outbox.export().writes[0]!;
    expect(JSON.stringify(queued)).not.toContain('555-123-4567');
    expect(JSON.stringify(queued)).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(queued.idempotencyKey).toMatch(/^sdk:[0-9a-f-]{36}$/);
    expect((await client.sessions.get(session.id)).syncState).toBe('pending');
  });

  it('keep EPHEMERAL entities in the cache and never queue them', async () => {
    const { client } = setup();
    const scratch = await client.sessions.create({ title: 'scratch', privacyLevel: 'EPHEMERAL' });
    await client.sessions.update(scratch.id, { title: 'scratch 2' });
    expect(client.status().pending).toBe(0);
    expect(await client.sessions.get(scratch.id)).toMatchObject({ syncState: 'local', data: { title: 'scratch 2' } });
    await expect(client.sessions.update((await client.sessions.create({ title: 'kept', privacyLevel: 'TEAM' })).id, { privacyLevel: 'EPHEMERAL' })).rejects.toMatchObject({
      code: 'EPHEMERAL_NOT_PERSISTED',
    });
  });

  it('queue an EPHEMERAL session given a stored level as a create', async () => {
    const { client, gateway } = setup();
    const scratch = await client.sessions.create({ title: 'promote me', privacyLevel: 'EPHEMERAL' });
    await client.sessions.update(scratch.id, { privacyLevel: 'TEAM' });
    expect(await client.flush()).toMatchObject({ sent: 1, remaining: 0 });
    expect(gateway.sessions.get(scratch.id)).toMatchObject({ title: 'promote me', privacyLevel: 'TEAM', version: 1 });
  });
});

describe('the flusher', () => {
  it('sends writes of one entity in order with the version each was based on', async () => {
    const { client, gateway } = setup();
    const s = await client.sessions.create({ title: 'v1', privacyLevel: 'TEAM' });
    await client.sessions.update(s.id, { title: 'v2' });
    await client.sessions.update(s.id, { title: 'v3' });
    expect(await client.flush()).toMatchObject({ sent: 3, remaining: 0 });
    expect(gateway.calls).toEqual(['CreateSession', 'UpdateSession', 'UpdateSession']);
    expect(gateway.sessions.get(s.id)).toMatchObject({ title: 'v3', version: 3 });
    expect(await client.sessions.get(s.id, { fetchPolicy: 'cache-only' })).toMatchObject({ syncState: 'synced', data: { version: 3 } });
  });

  it('stops on a network error, keeps everything queued, and resends with the same keys', async () => {
    const { client, gateway } = setup();
    await client.sessions.create({ title: 'a', privacyLevel: 'TEAM' });
    await client.sessions.create({ title: 'b', privacyLevel: 'TEAM' });
    const keys = client.outbox.export().writes.map((w) => w.idempotencyKey);
    gateway.down = true;
    const offline = await client.flush();
    expect(offline).toMatchObject({ sent: 0, remaining: 2, stoppedBy: { code: 'NETWORK_ERROR' } });
    expect(offline.nextRetryAt).not.toBeNull();
    expect(client.status().online).toBe(false);
    gateway.down = false;
    expect(await client.flush()).toMatchObject({ sent: 2, remaining: 0 });
    expect(client.status().online).toBe(true);
    expect(client.outbox.export().writes).toEqual([]);
    expect(gateway.sessions.size).toBe(2);
    expect(keys).toHaveLength(2);
  });

  it('retries a 5xx with backoff while other entities go on', async () => {
    const { client, gateway } = setup();
    const a = await client.sessions.create({ title: 'a', privacyLevel: 'TEAM' });
    await client.sessions.create({ title: 'b', privacyLevel: 'TEAM' });
    // INTERNAL fails the whole batch; the flusher halves it, and `a` fails again alone.
    gateway.failNext('CreateSession', { type: 'code', code: 'INTERNAL' }, { type: 'code', code: 'INTERNAL' });
    const first = await client.flush();
    expect(first).toMatchObject({ sent: 1, remaining: 1 });
    expect(gateway.sessions.has(a.id)).toBe(false);
    expect(await client.flush()).toMatchObject({ sent: 1, remaining: 0 });
    expect(gateway.sessions.has(a.id)).toBe(true);
  });

  it('moves a write answered INTERNAL maxInternalAttempts times in a row to rejected, and the queue moves on', async () => {
    const { client, gateway } = setup({ maxInternalAttempts: 3 });
    const events: RejectedWrite[] = [];
    client.on('rejected', (r) => events.push(r));
    const stuck = await client.sessions.create({ title: 'hits a server bug', privacyLevel: 'TEAM' });
    const internal = { type: 'code', code: 'INTERNAL' } as const;
    // Another code in between starts the count again: only a repeating INTERNAL is a bug.
    gateway.failNext('CreateSession', internal, internal, { type: 'code', code: 'UNAVAILABLE' }, internal, internal, internal);
    for (let i = 0; i < 5; i++) expect(await client.flush()).toMatchObject({ sent: 0, rejected: 0, remaining: 1 });
    expect(await client.flush()).toMatchObject({ sent: 0, rejected: 1, remaining: 0 });
    expect(events).toEqual([expect.objectContaining({ entityId: stuck.id, code: 'INTERNAL', reason: expect.stringMatching(/INTERNAL 3 times in a row: forced INTERNAL/) })]);

    // Later writes are no longer stuck behind it.
    const next = await client.sessions.create({ title: 'after', privacyLevel: 'TEAM' });
    expect(await client.flush()).toMatchObject({ sent: 1, remaining: 0 });
    expect(gateway.sessions.has(next.id)).toBe(true);

    // Once the server is fixed, retry() resends it with its idempotency key.
    client.rejected.retry(events[0]!.id);
    expect(client.outbox.export().writes).toEqual([expect.objectContaining({ idempotencyKey: events[0]!.idempotencyKey })]);
    expect(await client.flush()).toMatchObject({ sent: 1, remaining: 0 });
    expect(gateway.sessions.get(stuck.id)?.title).toBe('hits a server bug');
  });

  it('keeps a write answered UNAVAILABLE queued however often, and stops the flush as a network error does', async () => {
    const { client, gateway, cachePath } = setup({ maxInternalAttempts: 2 });
    const waiting = await client.sessions.create({ title: 'service down', privacyLevel: 'TEAM' });
    gateway.failNext('CreateSession', ...Array.from({ length: 6 }, () => ({ type: 'code', code: 'UNAVAILABLE' }) as const));
    for (let i = 0; i < 6; i++) expect(await client.flush()).toMatchObject({ sent: 0, rejected: 0, remaining: 1, stoppedBy: { code: 'UNAVAILABLE' } });
    const cache = new Database(cachePath, { readonly: true });
    expect(cache.prepare('SELECT attempts, last_error FROM outbox').all()).toEqual([{ attempts: 6, last_error: expect.stringMatching(/^UNAVAILABLE: /) }]);
    cache.close();
    expect(await client.flush()).toMatchObject({ sent: 1, rejected: 0, remaining: 0 });
    expect(gateway.sessions.has(waiting.id)).toBe(true);
  });

  it('treats a non-GraphQL 502 as a network error', async () => {
    const { client, gateway } = setup();
    await client.sessions.create({ title: 'a', privacyLevel: 'TEAM' });
    gateway.failNext('CreateSession', { type: 'status', status: 502 });
    expect(await client.flush()).toMatchObject({ sent: 0, remaining: 1, stoppedBy: { code: 'NETWORK_ERROR' } });
  });

  it('sets a refused write aside as rejected with the reason, and the queue goes on', async () => {
    const { client, gateway } = setup();
    const events: RejectedWrite[] = [];
    client.on('rejected', (r) => events.push(r));
    const bad = await client.sessions.create({ title: '   ', privacyLevel: 'TEAM' });
    const good = await client.sessions.create({ title: 'fine', privacyLevel: 'TEAM' });
    expect(await client.flush()).toMatchObject({ sent: 1, rejected: 1, remaining: 0 });
    expect(events).toEqual([expect.objectContaining({ entityId: bad.id, code: 'BAD_USER_INPUT', op: 'create' })]);
    expect(client.rejected.list()).toHaveLength(1);
    expect(client.status().rejected).toBe(1);
    expect(gateway.sessions.has(good.id)).toBe(true);
    // The never-accepted local copy is gone; the write itself is kept in `rejected`.
    expect((await client.sessions.get(bad.id, { fetchPolicy: 'cache-only' })).data).toBeNull();
  });

  it('pauses on UNAUTHENTICATED without rejecting anything', async () => {
    const { client, gateway } = setup();
    await client.sessions.create({ title: 'a', privacyLevel: 'TEAM' });
    gateway.failNext('CreateSession', { type: 'code', code: 'UNAUTHENTICATED' });
    expect(await client.flush()).toMatchObject({ sent: 0, rejected: 0, remaining: 1, stoppedBy: { code: 'UNAUTHENTICATED' } });
    expect(await client.flush()).toMatchObject({ sent: 1, remaining: 0 });
  });

  it('keeps the server copy on CONFLICT, moves the local writes to conflicts, and reapplies them', async () => {
    const { client, gateway } = setup();
    const conflicts: ConflictRecord[] = [];
    client.on('conflict', (c) => conflicts.push(c));
    const s = await client.sessions.create({ title: 'mine', privacyLevel: 'TEAM' });
    await client.flush();
    await client.sessions.update(s.id, { title: 'local 1' });
    await client.sessions.update(s.id, { description: 'local 2' });
    gateway.editOnServer(s.id, 'theirs');
    expect(await client.flush()).toMatchObject({ sent: 0, conflicts: 1, remaining: 0 });
    expect(conflicts[0]).toMatchObject({ entityId: s.id, baseVersion: 1, serverVersion: 2 });
    expect(conflicts[0]?.localWrites.map((w) => w.op)).toEqual(['update', 'update']);
    expect(await client.sessions.get(s.id, { fetchPolicy: 'cache-only' })).toMatchObject({ syncState: 'conflict', data: { title: 'theirs', version: 2 } });

    await client.conflicts.resolve(conflicts[0]!.id, 'reapply');
    expect(await client.flush()).toMatchObject({ sent: 1, conflicts: 0 });
    expect(gateway.sessions.get(s.id)).toMatchObject({ title: 'local 1', description: 'local 2', version: 3 });
    expect(client.status().conflicts).toBe(0);
  });

  it('follows a pattern the server merged into an existing one', async () => {
    const { client, gateway } = setup();
    const existing = await client.patterns.create({ kind: 'SOLUTION', name: 'Retry with jitter', privacyLevel: 'TEAM' });
    await client.flush();
    gateway.mergeName('Retry with jitter', existing.id);
    const again = await client.patterns.create({ kind: 'SOLUTION', name: 'Retry with jitter', privacyLevel: 'TEAM' });
    await client.patterns.use(again.id);
    expect(await client.flush()).toMatchObject({ sent: 2, remaining: 0 });
    expect(gateway.patterns.get(existing.id)).toMatchObject({ occurrences: 2, usageCount: 1 });
    expect((await client.patterns.get(again.id, { fetchPolicy: 'cache-only' })).data).toBeNull();
    expect((await client.patterns.get(existing.id, { fetchPolicy: 'cache-only' })).data).toMatchObject({ usageCount: 1 });
  });

  it('sends a pattern only after the session it was learned from', async () => {
    const { client, gateway } = setup({ flushConcurrency: 4 });
    const s = await client.sessions.create({ title: 'source', privacyLevel: 'TEAM' });
    await client.patterns.create({ kind: 'ERROR_FIX', name: 'Fix', privacyLevel: 'TEAM', sourceSessionIds: [s.id] });
    await client.flush();
    expect(gateway.calls).toEqual(['CreateSession', 'RecordPattern']);
  });

  it("emits 'pending-alert' once when the queue reaches the threshold", async () => {
    const { client } = setup({ pendingAlertThreshold: 3 });
    const alerts: unknown[] = [];
    client.on('pending-alert', (a) => alerts.push(a));
    for (let i = 0; i < 5; i++) await client.sessions.create({ title: `s${i}`, privacyLevel: 'TEAM' });
    expect(alerts).toEqual([{ pending: 3, threshold: 3 }]);
  });
});

describe('the batched push', () => {
  it('sends pushBatchSize writes per request, one per entity, and the next write of an entity in a later batch', async () => {
    const { client, gateway } = setup({ pushBatchSize: 3, flushConcurrency: 1 });
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await client.sessions.create({ title: `s${i}`, privacyLevel: 'TEAM' })).id);
    await client.sessions.update(ids[0]!, { title: 's0 v2' });
    await client.sessions.update(ids[0]!, { title: 's0 v3' });
    expect(await client.flush()).toMatchObject({ sent: 7, remaining: 0 });
    expect(gateway.pushes).toEqual([3, 3, 1]);
    expect(gateway.sessions.get(ids[0]!)).toMatchObject({ title: 's0 v3', version: 3 });
  });

  it('stores the good writes of a mixed batch and sets the conflicting and the refused ones aside, each with its own outcome', async () => {
    const { client, gateway } = setup();
    const base = await client.sessions.create({ title: 'base', privacyLevel: 'TEAM' });
    await client.flush();
    await client.sessions.update(base.id, { title: 'stale edit' });
    gateway.editOnServer(base.id, 'edited elsewhere');
    const good = await client.sessions.create({ title: 'good', privacyLevel: 'TEAM' });
    const bad = await client.sessions.create({ title: '  ', privacyLevel: 'TEAM' });
    gateway.pushes.length = 0;
    expect(await client.flush()).toMatchObject({ sent: 1, conflicts: 1, rejected: 1, remaining: 0 });
    expect(gateway.pushes).toEqual([3]);
    expect(gateway.sessions.get(good.id)).toMatchObject({ title: 'good' });
    expect(gateway.sessions.has(bad.id)).toBe(false);
    expect(client.conflicts.list()).toEqual([expect.objectContaining({ entityId: base.id, serverVersion: 2 })]);
    expect(client.rejected.list()).toEqual([expect.objectContaining({ entityId: bad.id, code: 'BAD_USER_INPUT' })]);
    expect(await client.sessions.get(base.id, { fetchPolicy: 'cache-only' })).toMatchObject({ syncState: 'conflict', data: { title: 'edited elsewhere' } });
  });

  it('halves a batch the gateway refuses as a whole (PAYLOAD_TOO_LARGE), so no write is rejected for the others', async () => {
    const { client, gateway } = setup();
    for (let i = 0; i < 4; i++) await client.sessions.create({ title: `s${i}`, privacyLevel: 'TEAM' });
    gateway.failNext('PushWrites', { type: 'code', code: 'PAYLOAD_TOO_LARGE' });
    expect(await client.flush()).toMatchObject({ sent: 4, rejected: 0, remaining: 0 });
    expect(gateway.pushes).toEqual([2, 2]);
  });

  it('finds one write behind INTERNAL by halving, and gives up halving when the server fails every write', async () => {
    const { client, gateway } = setup();
    const ids = [];
    for (let i = 0; i < 8; i++) ids.push((await client.sessions.create({ title: `s${i}`, privacyLevel: 'TEAM' })).id);
    const internal = { type: 'code', code: 'INTERNAL' } as const;
    // A broken server: all 8, then the first 4, the first 2, then 1 and 1 fail; halving stops there (5 requests, not 15).
    gateway.failNext('PushWrites', internal, internal, internal, internal, internal);
    expect(await client.flush()).toMatchObject({ sent: 0, rejected: 0, remaining: 8 });
    expect(await client.flush()).toMatchObject({ sent: 8, remaining: 0 });

    // One bad write among good ones: it alone stays queued.
    for (let i = 0; i < 4; i++) await client.sessions.create({ title: `t${i}`, privacyLevel: 'TEAM' });
    gateway.failNext('CreateSession', internal, internal, internal);
    expect(await client.flush()).toMatchObject({ sent: 3, remaining: 1 });
  });

  it('keeps everything queued when the gateway does not know the batched push (an older server), rejecting nothing', async () => {
    const { client, gateway } = setup();
    for (let i = 0; i < 3; i++) await client.sessions.create({ title: `s${i}`, privacyLevel: 'TEAM' });
    gateway.failNext('PushWrites', { type: 'code', code: 'GRAPHQL_VALIDATION_FAILED' });
    expect(await client.flush()).toMatchObject({ sent: 0, rejected: 0, remaining: 3, stoppedBy: { code: 'UNAVAILABLE', details: { reason: 'batched-push-unsupported' } } });
    expect(await client.flush()).toMatchObject({ sent: 3, remaining: 0 });
  });

  it('resends a batch whose answer was lost: the server replays it, nothing is applied twice', async () => {
    const { client, gateway } = setup();
    for (let i = 0; i < 3; i++) await client.sessions.create({ title: `s${i}`, privacyLevel: 'TEAM' });
    // The server applies the first two writes, then the connection drops before the answer.
    gateway.failNext('CreateSession', { type: 'pass' }, { type: 'pass' }, { type: 'network' });
    expect(await client.flush()).toMatchObject({ sent: 0, remaining: 3, stoppedBy: { code: 'NETWORK_ERROR' } });
    expect(gateway.sessions.size).toBe(2);
    expect(await client.flush()).toMatchObject({ sent: 3, remaining: 0 });
    expect(gateway.sessions.size).toBe(3);
    expect(client.status()).toMatchObject({ pending: 0, rejected: 0, conflicts: 0 });
  });
});

describe('export and import', () => {
  it('never duplicates a conflict or a rejected write, however often the export is imported', async () => {
    const { client, gateway, cachePath } = setup();
    const s = await client.sessions.create({ title: 'mine', privacyLevel: 'TEAM' });
    await client.sessions.create({ title: '   ', privacyLevel: 'TEAM' });
    await client.flush();
    await client.sessions.update(s.id, { title: 'local' });
    gateway.editOnServer(s.id, 'theirs');
    expect(await client.flush()).toMatchObject({ conflicts: 1 });
    const file = join(dirname(cachePath), 'pending.json');
    const exported = client.outbox.export(file);
    expect(exported).toMatchObject({ conflicts: [expect.objectContaining({ entityId: s.id })], rejected: [expect.objectContaining({ code: 'BAD_USER_INPUT' })] });

    expect(client.outbox.import(file)).toMatchObject({ conflicts: 0, rejected: 0 });
    expect(client.outbox.import(file)).toMatchObject({ conflicts: 0, rejected: 0 });
    expect(client.status()).toMatchObject({ conflicts: 1, rejected: 1 });
    expect(client.conflicts.list().map((c) => c.id)).toEqual(exported.conflicts.map((c) => c.id));

    // Into another cache: once, with the same ids.
    const other = setup();
    expect(other.client.outbox.import(file)).toMatchObject({ conflicts: 1, rejected: 1 });
    expect(other.client.outbox.import(file)).toMatchObject({ conflicts: 0, rejected: 0 });
    expect(other.client.conflicts.list()).toEqual(exported.conflicts);
    expect(other.client.rejected.list()).toEqual(exported.rejected);
  });
});

describe('reads', () => {
  it('fall back to the cache when the gateway is down, and say so', async () => {
    const { client, gateway } = setup();
    const s = await client.sessions.create({ title: 'cached', privacyLevel: 'TEAM' });
    await client.flush();
    gateway.down = true;
    expect(await client.sessions.get(s.id)).toMatchObject({ source: 'cache', stale: true, data: { title: 'cached' } });
    expect(await client.sessions.get(s.id, { fetchPolicy: 'cache-first' })).toMatchObject({ source: 'cache', stale: false });
    await expect(client.sessions.get(s.id, { fetchPolicy: 'network-only' })).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    expect(await client.sessions.list()).toMatchObject({ source: 'cache', stale: true, nodes: [expect.objectContaining({ id: s.id })] });
  });

  it('come from the network by default and refresh the cache', async () => {
    const { client, gateway } = setup();
    const s = await client.sessions.create({ title: 'old', privacyLevel: 'TEAM' });
    await client.flush();
    gateway.editOnServer(s.id, 'new');
    expect(await client.sessions.get(s.id)).toMatchObject({ source: 'network', stale: false, data: { title: 'new' } });
    expect((await client.sessions.get(s.id, { fetchPolicy: 'cache-only' })).data).toMatchObject({ title: 'new', version: 2 });
  });

  it('list unsent and EPHEMERAL entities first when the gateway answers', async () => {
    const { client } = setup();
    const sent = await client.sessions.create({ title: 'sent', privacyLevel: 'TEAM' });
    await client.flush();
    const queued = await client.sessions.create({ title: 'queued', privacyLevel: 'TEAM' });
    const scratch = await client.sessions.create({ title: 'scratch', privacyLevel: 'EPHEMERAL' });
    const list = await client.sessions.list();
    expect(list.source).toBe('network');
    expect(list.nodes.map((n) => n.id).sort()).toEqual([sent.id, queued.id, scratch.id].sort());
  });
});

describe('pull', () => {
  it('pages the feeds from the stored cursor, applies tombstones, and leaves rows with queued writes alone', async () => {
    const { client, gateway } = setup({ pageSize: 2 });
    const other = setup();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await other.client.sessions.create({ title: `s${i}`, privacyLevel: 'TEAM' })).id);
    await other.client.flush();
    // Another client's sessions appear in this client's feed as they are edited on the server.
    for (const s of other.gateway.sessions.values()) gateway.sessions.set(s.id, s);
    for (const id of ids) gateway.editOnServer(id, `edited ${id}`);
    const first = await client.pull();
    expect(first.pages).toBeGreaterThan(2);
    expect((await client.sessions.list(null, { fetchPolicy: 'cache-only', first: 10 })).nodes).toHaveLength(5);

    await client.sessions.update(ids[0]!, { title: 'my local edit' });
    gateway.editOnServer(ids[0]!, 'server edit');
    gateway.deleteOnServer(ids[1]!);
    const second = await client.pull();
    expect(second).toMatchObject({ deleted: 1, skipped: 1 });
    expect((await client.sessions.get(ids[0]!, { fetchPolicy: 'cache-only' })).data?.title).toBe('my local edit');
    expect((await client.sessions.get(ids[1]!, { fetchPolicy: 'cache-only' })).data).toBeNull();
    expect(client.status().lastPullAt).not.toBeNull();
  });
});
