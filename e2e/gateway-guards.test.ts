import { count } from 'drizzle-orm';
import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sessions } from '@memory-context/db';
import { codes, CREATE_SESSION, graphql, LIST_SESSIONS, ok, startTestStack, TEST_SECRET, type TestStack } from './src/index.js';

let stack: TestStack;
let token: string;

async function sessionCount(): Promise<number> {
  const [row] = await stack.deps.database.db.select({ n: count() }).from(sessions);
  return row?.n ?? 0;
}

async function post(body: string, headers: Record<string, string> = {}): Promise<{ status: number; json: any }> {
  const response = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers }, body });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

beforeAll(async () => {
  stack = await startTestStack({ maxDepth: 4 });
  token = await stack.token('guarded');
});
afterAll(async () => stack?.stop());

describe('tokens', () => {
  const create = { input: { privacyLevel: 'TEAM', title: 'should not exist' } };

  it('401 without a token, with alg none, with an expired token, with a foreign secret', async () => {
    const before = await sessionCount();
    const secret = new TextEncoder().encode(TEST_SECRET);
    const none = new UnsecuredJWT({ scope: 'memory:admin' }).setSubject('guarded').setIssuer('memory-context').setAudience('memory-context').setExpirationTime('1h').encode();
    const expired = await new SignJWT({ scope: 'memory:write' }).setProtectedHeader({ alg: 'HS256' }).setSubject('guarded')
      .setIssuer('memory-context').setAudience('memory-context').setExpirationTime(Math.floor(Date.now() / 1000) - 120).sign(secret);
    const foreign = await new SignJWT({ scope: 'memory:write' }).setProtectedHeader({ alg: 'HS256' }).setSubject('guarded')
      .setIssuer('memory-context').setAudience('memory-context').setExpirationTime('1h').sign(new TextEncoder().encode('another-secret-that-is-long-enough-000'));
    for (const bad of [undefined, none, expired, foreign, 'garbage']) {
      const res = await graphql(stack.gatewayUrl, CREATE_SESSION, create, bad);
      expect(res.status).toBe(401);
      expect(codes(res)).toEqual(['UNAUTHENTICATED']);
    }
    expect(await sessionCount()).toBe(before);
  });

  it('a subgraph called directly refuses a request without a valid token', async () => {
    const res = await graphql(stack.subgraphUrls.sessions, LIST_SESSIONS, {});
    expect(res.status).toBe(401);
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
    const forged = await graphql(stack.subgraphUrls.sessions, LIST_SESSIONS, {}, 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.');
    expect(forged.status).toBe(401);
    expect(ok(await graphql(stack.subgraphUrls.sessions, LIST_SESSIONS, {}, token)).sessions.nodes).toBeDefined();
  });
});

describe('bad operations get a clear code and change nothing', () => {
  it('malformed GraphQL', async () => {
    const res = await graphql(stack.gatewayUrl, 'mutation { createSession(input: {', {}, token);
    expect(res.status).toBe(400);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
  });

  it('invalid JSON body', async () => {
    const res = await post('{"query": ');
    expect(res.status).toBe(400);
    expect(res.json.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('a wrong enum value', async () => {
    const before = await sessionCount();
    const res = await graphql(stack.gatewayUrl, CREATE_SESSION, { input: { privacyLevel: 'SECRET', title: 'x' } }, token);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    const inline = await graphql(stack.gatewayUrl, 'mutation { createSession(input: { privacyLevel: SECRET, title: "x" }) { id } }', {}, token);
    expect(codes(inline)).toEqual(['BAD_USER_INPUT']);
    expect(await sessionCount()).toBe(before);
  });

  it('a wrongly typed argument', async () => {
    const res = await graphql(stack.gatewayUrl, LIST_SESSIONS, { first: 'ten' }, token);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(codes(await graphql(stack.gatewayUrl, LIST_SESSIONS, { first: 100000 }, token))).toEqual(['BAD_USER_INPUT']);
  });

  it('a depth bomb (this stack allows depth 4)', async () => {
    const shallow = '{ sessionChanges { changes { entity { id } } } }';
    expect(ok(await graphql(stack.gatewayUrl, shallow, {}, token)).sessionChanges).toBeDefined();
    const deep = '{ sessionChanges { changes { entity { submodule { id } } } } }';
    const res = await graphql(stack.gatewayUrl, deep, {}, token);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors?.[0]?.message).toMatch(/depth/i);
    expect(res.data ?? null).toBeNull();
  });

  it('an alias bomb', async () => {
    const query = `{ ${Array.from({ length: 200 }, (_, i) => `a${i}: submodules { id }`).join(' ')} }`;
    const res = await graphql(stack.gatewayUrl, query, {}, token);
    expect(codes(res)).toContain('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toMatch(/alias/i);
    expect(res.data ?? null).toBeNull();
  });

  it('a token bomb', async () => {
    const query = `{ submodules { ${'id '.repeat(5000)} } }`;
    const res = await graphql(stack.gatewayUrl, query, {}, token);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors?.[0]?.message).toMatch(/token/i);
  });

  it('a 10 MB body', async () => {
    const before = await sessionCount();
    const big = JSON.stringify({ query: CREATE_SESSION, variables: { input: { privacyLevel: 'TEAM', title: 'big', content: [{ role: 'user', text: 'x'.repeat(10 * 1024 * 1024) }] } } });
    const res = await post(big);
    expect(res.status).toBe(413);
    expect(res.json.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await sessionCount()).toBe(before);
  });

  it('batched requests are refused', async () => {
    const res = await post(JSON.stringify([{ query: '{ submodules { id } }' }, { query: '{ submodules { id } }' }]));
    expect(res.status).toBe(400);
  });
});

