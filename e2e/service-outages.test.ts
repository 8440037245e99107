import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient } from '@memory-context/sdk';
import { graphql, startTestStack, type GraphQLResponse, type TestStack } from './src/index.js';

const BOTH = `{ sessions(first: 1) { nodes { id } } patterns(first: 1) { nodes { id } } }`;
const MISSPELT = `{ sessions(first: 1) { nodes { titel } } }`;

/** No internal address anywhere in what the caller gets. */
function expectNoAddress(response: GraphQLResponse<unknown>): void {
  expect(JSON.stringify(response.errors)).not.toMatch(/127\.0\.0\.1|localhost|https?:\/\/|ECONNREFUSED/);
}

describe('a subgraph that is down', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
    await stack.patterns.close();
  });
  afterAll(async () => stack?.stop());

  it('answers UNAVAILABLE with the service and the path, retryable, and the other subgraphs still answer', async () => {
    const response = await graphql(stack.gatewayUrl, BOTH, {}, await stack.token('outage'));
    expect(response.errors).toEqual([
      {
        message: 'The patterns service is unavailable; try again later.',
        path: ['patterns'],
        extensions: { code: 'UNAVAILABLE', service: 'patterns', retryable: true },
      },
    ]);
    expectNoAddress(response);
    expect(response.data).toBeNull(); // patterns is non-null, so the whole response is
    const sessionsOnly = await graphql(stack.gatewayUrl, '{ sessions(first: 1) { nodes { id } } }', {}, await stack.token('outage'));
    expect(sessionsOnly.errors).toBeUndefined();
  });

  it('keeps an SDK write to it queued (never rejected) while writes to the others go through', async () => {
    const cachePath = join(mkdtempSync(join(tmpdir(), 'memctx-outage-')), 'cache.db');
    const client = createClient({ url: stack.gatewayUrl, token: await stack.token('outage-sdk'), cachePath, pullIntervalMs: 0, pushOnWrite: false, maxInternalAttempts: 1 });
    try {
      await client.patterns.record({ kind: 'SOLUTION', name: 'while patterns is down', privacyLevel: 'TEAM' });
      const session = await client.sessions.create({ title: 'sessions is up', privacyLevel: 'TEAM' });
      for (let i = 0; i < 3; i++) {
        const result = await client.flush();
        expect(result).toMatchObject({ rejected: 0, remaining: 1, stoppedBy: { code: 'UNAVAILABLE', details: { service: 'patterns', retryable: true } } });
      }
      expect(client.rejected.list()).toEqual([]);
      expect((await client.sessions.get(session.id, { fetchPolicy: 'network-only' })).data?.title).toBe('sessions is up');
    } finally {
      await client.close();
    }
  });
});

describe('production', () => {
  let stack: TestStack;
  let token: string;
  beforeAll(async () => {
    stack = await startTestStack({ env: 'production' });
    token = await stack.token('prod-errors');
  });
  afterAll(async () => stack?.stop());

  it('offers no field suggestions, in the gateway or a subgraph (development does)', async () => {
    for (const url of [stack.gatewayUrl, stack.subgraphUrls.sessions]) {
      const response = await graphql(url, MISSPELT, {}, token);
      expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(response.errors?.[0]?.message).toMatch(/Cannot query field "titel"/);
      expect(response.errors?.[0]?.message).not.toMatch(/Did you mean/);
    }
    const development = await startTestStack();
    try {
      const response = await graphql(development.gatewayUrl, MISSPELT, {}, await development.token('dev'));
      expect(response.errors?.[0]?.message).toMatch(/Did you mean "title"\?/);
    } finally {
      await development.stop();
    }
  });

  it('masks an internal error but keeps the code, the failing service and the path', async () => {
    // A server bug, as far as the sessions subgraph can tell: a column it reads is gone.
    await stack.deps.database.db.execute(sql`alter table sessions.sessions rename column title to title_gone`);
    try {
      const response = await graphql(stack.gatewayUrl, '{ sessions(first: 1) { nodes { id title } } }', {}, token);
      expect(response.errors).toEqual([{ message: 'Internal server error.', path: ['sessions'], extensions: { code: 'INTERNAL', service: 'sessions' } }]);
      expect(JSON.stringify(response)).not.toMatch(/title_gone|column|sql/i);
    } finally {
      await stack.deps.database.db.execute(sql`alter table sessions.sessions rename column title_gone to title`);
    }
  });

  it('answers UNAVAILABLE for a subgraph that is down, with the service and path', async () => {
    await stack.checkpoints.close();
    const response = await graphql(stack.gatewayUrl, '{ checkpoints(first: 1) { nodes { id } } }', {}, token);
    expect(response.errors).toEqual([
      { message: 'The checkpoints service is unavailable; try again later.', path: ['checkpoints'], extensions: { code: 'UNAVAILABLE', service: 'checkpoints', retryable: true } },
    ]);
    expectNoAddress(response);
  });
});
