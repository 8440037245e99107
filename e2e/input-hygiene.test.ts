import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { patterns, sessions } from '@memory-context/db';
import { createClient, isSdkError, type MemoryClient } from '@memory-context/sdk';
import { CREATE_SESSION, graphql, LIST_SESSIONS, ok, startTestStack, type GraphQLResponse, type TestStack } from './src/index.js';

const SUBMODULE = 'hygiene';
const RECORD_PATTERN = `mutation Record($input: RecordPatternInput!) { recordPattern(input: $input) { pattern { id } } }`;
const SEARCH = `query Search($q: String!, $filter: SearchFilter) { search(query: $q, filter: $filter, mode: LEXICAL) { hits { score } } }`;

let stack: TestStack;
let token: string;

beforeAll(async () => {
  stack = await startTestStack();
  token = await stack.token(SUBMODULE);
});
afterAll(async () => stack?.stop());

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = { deeper: value };
  return value;
}

/** JSON.stringify itself overflows on 5,000 levels in a test worker: the hostile body is written as text, as an attacker would. */
class DeepJson {
  constructor(readonly depth: number) {}
  toJSON(): unknown {
    return RAW_MARKER;
  }
}
const RAW_MARKER = '@@deep-json@@';

async function post(url: string, query: string, variables: Record<string, unknown>, token: string): Promise<GraphQLResponse<unknown>> {
  const deep = Object.values(variables.input ?? {}).find((v): v is DeepJson => v instanceof DeepJson);
  if (!deep) return graphql(url, query, variables, token);
  const body = JSON.stringify({ query, variables }).replace(JSON.stringify(RAW_MARKER), '{"deeper":'.repeat(deep.depth) + '"leaf"' + '}'.repeat(deep.depth));
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
  const parsed = (await response.json()) as { data?: unknown; errors?: GraphQLResponse['errors'] };
  return { status: response.status, data: parsed.data, errors: parsed.errors };
}

const session = (overrides: Record<string, unknown>) => ({ privacyLevel: 'TEAM', title: 'clean title', ...overrides });

/** Every poisoned input, as the operation and variables that carry it, and the argument path the error must name. */
const POISONED: Array<{ name: string; query: string; variables: Record<string, unknown>; field: string }> = [
  { name: 'NUL in a title', query: CREATE_SESSION, variables: { input: session({ title: 'a\u0000b' }) }, field: 'input.title' },
  { name: 'NUL in a tag', query: CREATE_SESSION, variables: { input: session({ tags: ['ok', 'b\u0000'] }) }, field: 'input.tags[1]' },
  {
    name: 'NUL in message text',
    query: CREATE_SESSION,
    variables: { input: session({ content: [{ role: 'user', text: 'a' }, { role: 'user', text: 'b' }, { role: 'user', text: 'x\u0000y' }] }) },
    field: 'input.content[2].text',
  },
  { name: 'a lone surrogate in message text', query: CREATE_SESSION, variables: { input: session({ content: [{ role: 'user', text: 'half \uD83D emoji' }] }) }, field: 'input.content[0].text' },
  { name: 'NUL in a search query', query: SEARCH, variables: { q: 'deploy\u0000' }, field: 'q' },
  { name: 'NUL in a search filter', query: SEARCH, variables: { q: 'deploy', filter: { tags: ['x\u0000'] } }, field: 'filter.tags[0]' },
  { name: 'NUL in a list filter', query: LIST_SESSIONS, variables: { filter: { tags: ['x\u0000'] } }, field: 'filter.tags[0]' },
  { name: 'NUL in a pattern body', query: RECORD_PATTERN, variables: { input: { kind: 'SOLUTION', name: 'p', privacyLevel: 'TEAM', body: { steps: ['a\u0000'] } } }, field: 'input.body.steps[0]' },
  {
    name: 'a pattern body nested 5,000 levels deep',
    query: RECORD_PATTERN,
    variables: { input: { kind: 'SOLUTION', name: 'deep', privacyLevel: 'TEAM', body: new DeepJson(5000) } },
    field: `input.body${'.deeper'.repeat(63)}`,
  },
  { name: 'NUL in an inline argument', query: `mutation { createSession(input: { privacyLevel: TEAM, title: "a\\u0000b" }) { id } }`, variables: {}, field: 'input.title' },
];

function expectRefused(response: GraphQLResponse<unknown>, field: string): void {
  expect(response.errors).toHaveLength(1);
  const [error] = response.errors!;
  expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
  expect(error?.extensions?.field).toBe(field);
  expect(error?.message).toContain(field);
  expect(error?.message).not.toMatch(/database|invalid byte sequence|call stack/i);
  expect(response.status).toBe(400);
}

async function storedRows(): Promise<number> {
  const s = await stack.deps.database.db.select({ id: sessions.id }).from(sessions).where(eq(sessions.submoduleId, SUBMODULE));
  const p = await stack.deps.database.db.select({ id: patterns.id }).from(patterns).where(eq(patterns.submoduleId, SUBMODULE));
  return s.length + p.length;
}

describe('poisoned input is BAD_USER_INPUT naming the field, and nothing is written', () => {
  for (const { name, query, variables, field } of POISONED) {
    it(`${name}, through the gateway`, async () => {
      expectRefused(await post(stack.gatewayUrl, query, variables, token), field);
      expect(await storedRows()).toBe(0);
    });
  }

  it('the same on a subgraph called directly', async () => {
    for (const { query, variables, field } of POISONED.filter((p) => p.query === CREATE_SESSION)) {
      expectRefused(await graphql(stack.subgraphUrls.sessions, query, variables, token), field);
    }
    expectRefused(await post(stack.subgraphUrls.patterns, RECORD_PATTERN, POISONED.at(-2)!.variables, token), POISONED.at(-2)!.field);
    expect(await storedRows()).toBe(0);
  });

  it('honours a configured depth limit; emoji and ordinary nesting pass', async () => {
    const shallow = await startTestStack({ maxInputDepth: 3 });
    try {
      const t = await shallow.token(SUBMODULE);
      const body = { a: { b: { c: 'deep' } } };
      expectRefused(await graphql(shallow.gatewayUrl, RECORD_PATTERN, { input: { kind: 'SOLUTION', name: 'x', privacyLevel: 'TEAM', body } }, t), 'input.body.a.b');
    } finally {
      await shallow.stop();
    }
    const created = ok(await graphql(stack.gatewayUrl, CREATE_SESSION, { input: session({ title: 'ship it 🚀', content: [{ role: 'user', text: 'naïve café 😀' }] }) }, token));
    expect(created.createSession.title).toBe('ship it 🚀');
    ok(await graphql(stack.gatewayUrl, RECORD_PATTERN, { input: { kind: 'SOLUTION', name: 'nested ok', privacyLevel: 'TEAM', body: nested(40) } }, token));
  });
});

describe('the SDK refuses poisoned writes at the call and moves on', () => {
  let client: MemoryClient;
  beforeAll(async () => {
    const cachePath = join(mkdtempSync(join(tmpdir(), 'memctx-hygiene-')), 'cache.db');
    client = createClient({ url: stack.gatewayUrl, token: await stack.token('hygiene-sdk'), cachePath, pullIntervalMs: 0, pushOnWrite: false });
  });
  afterAll(async () => client?.close());

  it('throws BAD_USER_INPUT naming the field, queues nothing, and later writes go through', async () => {
    const calls: Array<() => Promise<unknown>> = [
      () => client.sessions.create({ title: 'a\u0000b', privacyLevel: 'TEAM' }),
      () => client.sessions.create({ title: 'ok', privacyLevel: 'TEAM', content: [{ role: 'user', text: 'half \uDE00' }] }),
      () => client.patterns.record({ kind: 'SOLUTION', name: 'deep', privacyLevel: 'TEAM', body: nested(5000) as Record<string, unknown> }),
      () => client.checkpoints.create({ title: 'cp', privacyLevel: 'TEAM', summary: 'lone \uD800' }),
    ];
    for (const call of calls) {
      const error = await call().then(
        () => null,
        (e: unknown) => e,
      );
      expect(isSdkError(error, 'BAD_USER_INPUT')).toBe(true);
      expect((error as { details: { field?: string } }).details.field).toMatch(/^input\./);
    }
    expect(client.status().pending).toBe(0);

    const good = await client.sessions.create({ title: 'clean after poison', privacyLevel: 'TEAM' });
    const flushed = await client.flush();
    expect(flushed).toMatchObject({ sent: 1, rejected: 0, remaining: 0 });
    expect((await client.sessions.get(good.id, { fetchPolicy: 'network-only' })).data?.title).toBe('clean after poison');
  });

  it('an existing session cannot be poisoned by an update either', async () => {
    const s = await client.sessions.create({ title: 'to update', privacyLevel: 'TEAM' });
    await expect(client.sessions.update(s.id, { tags: ['x\u0000'] })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    expect((await client.sessions.get(s.id)).data?.tags ?? []).toEqual([]);
  });
});
