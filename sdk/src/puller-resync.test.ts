import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { fakeGateway, fakeToken, type FakeGateway } from '../test-fixtures/fake-gateway.js';
import { createClient, type MemoryClient } from './client.js';

let open: MemoryClient[] = [];
afterEach(async () => {
  await Promise.all(open.map((c) => c.close()));
  open = [];
});

function setup(gateway: FakeGateway = fakeGateway()): { client: MemoryClient; gateway: FakeGateway } {
  const cachePath = join(mkdtempSync(join(tmpdir(), 'memctx-unit-')), 'cache.db');
  const client = createClient({ url: 'http://gateway.test/graphql', token: fakeToken(), cachePath, pushOnWrite: false, pullIntervalMs: 0, pageSize: 2 }, { fetch: gateway.fetch });
  open.push(client);
  return { client, gateway };
}

async function cachedIds(client: MemoryClient): Promise<string[]> {
  return (await client.sessions.list(null, { fetchPolicy: 'cache-only', first: 100 })).nodes.map((s) => s.id).sort();
}

describe('pull after the feed was compacted past the cursor (CURSOR_EXPIRED)', () => {
  it('resyncs the feed; a resync cut short removes what the server dropped once it completes; queued writes stay', async () => {
    const { client, gateway } = setup();
    const writer = setup(gateway);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await writer.client.sessions.create({ title: `s${i}`, privacyLevel: 'TEAM' })).id);
    await writer.client.flush();
    expect(await client.pull()).toMatchObject({ stoppedBy: null });
    expect(await cachedIds(client)).toEqual([...ids].sort());

    gateway.deleteOnServer(ids[0]!);
    gateway.editOnServer(ids[1]!, 'edited');
    gateway.compactFeed();
    const queued = await client.sessions.create({ title: 'queued', privacyLevel: 'TEAM' });

    // The resync's second page fails: what it applied stays, the deleted copy too, for now.
    let pages = 0;
    const cut = await client.pull({
      onProgress: () => {
        if (++pages === 1) gateway.down = true;
      },
    });
    expect(cut.pulledAt).toBeNull();
    expect(cut.stoppedBy?.code).toBe('NETWORK_ERROR');
    expect(await cachedIds(client)).toContain(ids[0]);

    gateway.down = false;
    expect(await client.pull()).toMatchObject({ stoppedBy: null });
    expect(await cachedIds(client)).toEqual([...ids.slice(1), queued.id].sort());
    expect((await client.sessions.get(ids[1]!, { fetchPolicy: 'cache-only' })).data?.title).toBe('edited');
    expect(client.status().pending).toBe(1);
    expect((await client.sessions.get(queued.id, { fetchPolicy: 'cache-only' })).syncState).toBe('pending');
  });
});
