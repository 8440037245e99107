import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Config } from '@memory-context/config';
import { createGatewayServer } from '@memory-context/gateway';
import type { RunningServer } from '@memory-context/server-kit';
import { startTestStack, type TestStack } from './src/index.js';

/** The machine's Redis; .ci/run starts it. */
const REDIS_URL = process.env.MEMCTX_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const LIMITS = { rateLimitTokenPerMinute: 3, rateLimitSubmodulePerMinute: 5, rateLimitAdminPerMinute: 8 } satisfies Partial<Config>;
const QUERY = JSON.stringify({ query: '{ submodules { id } }' });

interface Answer {
  status: number;
  retryAfterHeader: string | null;
  errors: Array<{ message: string; extensions: { code: string; retryAfter?: number } }> | undefined;
}

async function ask(url: string, token: string | undefined): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: QUERY,
  });
  const body = (await response.json()) as { errors?: Answer['errors'] };
  return { status: response.status, retryAfterHeader: response.headers.get('retry-after'), errors: body.errors };
}

/** Sends `n` requests one after another; returns their HTTP statuses. */
async function statuses(url: string, token: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await ask(url, token)).status);
  return out;
}

function expectRateLimited(answer: Answer): void {
  expect(answer.status).toBe(429);
  expect(answer.errors?.map((e) => e.extensions.code)).toEqual(['RATE_LIMITED']);
  const retryAfter = answer.errors?.[0]?.extensions.retryAfter;
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(answer.retryAfterHeader).toBe(String(retryAfter));
}

describe('rate limits in memory (no MEMCTX_REDIS_URL)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack(LIMITS);
  });
  afterAll(async () => stack?.stop());

  it('a token past its limit gets 429 RATE_LIMITED with retryAfter and a Retry-After header', async () => {
    const token = await stack.token('rl-token');
    expect(await statuses(stack.gatewayUrl, token, 3)).toEqual([200, 200, 200]);
    expectRateLimited(await ask(stack.gatewayUrl, token));
    // Another submodule's token is not affected.
    expect(await statuses(stack.gatewayUrl, await stack.token('rl-other'), 1)).toEqual([200]);
  });

  it('tokens of one submodule share the submodule limit', async () => {
    const first = await stack.token('rl-shared');
    const second = await stack.token('rl-shared');
    expect(await statuses(stack.gatewayUrl, first, 3)).toEqual([200, 200, 200]);
    expect(await statuses(stack.gatewayUrl, second, 2)).toEqual([200, 200]);
    expectRateLimited(await ask(stack.gatewayUrl, second));
  });

  it('an admin token has the higher admin limit', async () => {
    const admin = await stack.token('rl-admin', ['memory:read', 'memory:write', 'memory:admin']);
    expect(await statuses(stack.gatewayUrl, admin, 8)).toEqual(Array(8).fill(200));
    expectRateLimited(await ask(stack.gatewayUrl, admin));
  });

  it('requests without a valid token are refused as 401, not counted', async () => {
    for (let i = 0; i < 5; i++) expect((await ask(stack.gatewayUrl, undefined)).status).toBe(401);
  });
});

describe('rate limits shared through Redis (MEMCTX_REDIS_URL)', () => {
  let stack: TestStack;
  const gateways: RunningServer[] = [];

  async function gateway(overrides: Partial<Config>): Promise<string> {
    const server = await createGatewayServer({ config: { ...stack.config, ...overrides }, verifier: stack.deps.verifier, logger: stack.deps.logger });
    gateways.push(server);
    return `${await server.listen(0, '127.0.0.1')}/graphql`;
  }

  beforeAll(async () => {
    const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false });
    try {
      await probe.connect();
      await probe.ping();
    } catch (error) {
      throw new Error(`These tests need Redis at ${REDIS_URL} (start it: redis-server --daemonize yes --port 6379): ${String(error)}`);
    } finally {
      probe.disconnect();
    }
    stack = await startTestStack(LIMITS);
  });
  afterAll(async () => {
    for (const server of gateways) await server.close();
    await stack?.stop();
  });

  it('two gateways sharing Redis hold one limit between them', async () => {
    const shared = { redisUrl: REDIS_URL, rateLimitKeyPrefix: `memctx-test:${randomUUID()}` };
    const [a, b] = [await gateway(shared), await gateway(shared)];
    const token = await stack.token('rl-redis');
    expect(await statuses(a, token, 2)).toEqual([200, 200]);
    expect(await statuses(b, token, 1)).toEqual([200]);
    expectRateLimited(await ask(a, token));
    expectRateLimited(await ask(b, token));
  });

  it('without Redis, each gateway counts alone (so the shared limit above is Redis\'s doing)', async () => {
    const [a, b] = [await gateway({ redisUrl: undefined }), await gateway({ redisUrl: undefined })];
    const token = await stack.token('rl-local');
    expect(await statuses(a, token, 3)).toEqual([200, 200, 200]);
    expect(await statuses(b, token, 3)).toEqual([200, 200, 200]);
    expectRateLimited(await ask(a, token));
  });

  it('with Redis unreachable, a gateway still answers and limits in memory', async () => {
    const down = await gateway({ redisUrl: 'redis://127.0.0.1:1', rateLimitKeyPrefix: `memctx-test:${randomUUID()}` });
    const token = await stack.token('rl-redis-down');
    expect(await statuses(down, token, 3)).toEqual([200, 200, 200]);
    expectRateLimited(await ask(down, token));
  });
});
