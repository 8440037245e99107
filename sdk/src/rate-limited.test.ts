import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { fakeGateway, fakeToken } from '../test-fixtures/fake-gateway.js';
import { createClient, type MemoryClient } from './client.js';
import { createTransport } from './transport.js';
import { ListSessionsDocument } from './generated/graphql.js';

let open: MemoryClient[] = [];
afterEach(async () => {
  await Promise.all(open.map((c) => c.close()));
  open = [];
});

/** The fake gateway behind a rate limit: the next `limited` requests get the gateway's 429 answer. */
function limitedGateway(retryAfter: number) {
  const gateway = fakeGateway();
  const state = { limited: 0, refused: 0 };
  const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
    if (state.limited > 0) {
      state.limited--;
      state.refused++;
      const body = { errors: [{ message: `Too many requests: retry after ${retryAfter} s.`, extensions: { code: 'RATE_LIMITED', retryAfter } }] };
      return new Response(JSON.stringify(body), { status: 429, headers: { 'content-type': 'application/json', 'retry-after': String(retryAfter) } });
    }
    return gateway.fetch(url, init);
  }) as typeof globalThis.fetch;
  return { gateway, state, fetch };
}

describe('RATE_LIMITED', () => {
  it('the transport raises an SdkError carrying retryAfter', async () => {
    const { state, fetch } = limitedGateway(7);
    state.limited = 1;
    const transport = createTransport({ url: 'http://gateway.test/graphql', token: fakeToken(), timeoutMs: 1000, fetch });
    await expect(transport.request(ListSessionsDocument, { first: 1 })).rejects.toMatchObject({ code: 'RATE_LIMITED', details: { retryAfter: 7, httpStatus: 429 } });
  });

  it('takes retryAfter from the Retry-After header when the body is not GraphQL', async () => {
    const fetch = (async () => new Response('slow down', { status: 429, headers: { 'retry-after': '12' } })) as unknown as typeof globalThis.fetch;
    const transport = createTransport({ url: 'http://gateway.test/graphql', token: fakeToken(), timeoutMs: 1000, fetch });
    await expect(transport.request(ListSessionsDocument, { first: 1 })).rejects.toMatchObject({ code: 'RATE_LIMITED', details: { retryAfter: 12 } });
  });

  it('the flusher keeps the write queued and waits at least retryAfter before the next attempt', async () => {
    const { gateway, state, fetch } = limitedGateway(30);
    const cachePath = join(mkdtempSync(join(tmpdir(), 'memctx-unit-')), 'cache.db');
    // Backoff alone would retry within 20 ms: only retryAfter can push the next attempt 30 s out.
    const client = createClient({ url: 'http://gateway.test/graphql', token: fakeToken(), cachePath, pushOnWrite: false, pullIntervalMs: 0, backoffBaseMs: 10, backoffMaxMs: 20, flushConcurrency: 1 }, { fetch });
    open.push(client);
    const session = await client.sessions.create({ title: 'limited', privacyLevel: 'TEAM' });
    const second = await client.sessions.create({ title: 'limited too', privacyLevel: 'TEAM' });

    state.limited = 10;
    const before = Date.now();
    const result = await client.flush();
    expect(result).toMatchObject({ sent: 0, rejected: 0, remaining: 2, stoppedBy: { code: 'RATE_LIMITED' } });
    // The queue paused at the first refusal instead of trying every write.
    expect(state.refused).toBe(1);
    expect(result.nextRetryAt).toBeGreaterThanOrEqual(before + 30_000);
    expect(client.status()).toMatchObject({ pending: 2 });
    expect(Date.parse(client.status().nextRetryAt!)).toBeGreaterThanOrEqual(before + 30_000);
    expect(gateway.sessions.size).toBe(0);
    expect((await client.sessions.get(session.id)).syncState).toBe('pending');

    // An explicit flush once the limit is lifted sends both, nothing was set aside.
    state.limited = 0;
    expect(await client.flush()).toMatchObject({ sent: 2, rejected: 0, remaining: 0 });
    expect([...gateway.sessions.keys()].sort()).toEqual([session.id, second.id].sort());
  });
});
