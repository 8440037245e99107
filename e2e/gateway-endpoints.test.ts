import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { codes, graphql, ok, startTestStack, type TestStack } from './src/index.js';

describe('gateway endpoints (development)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => stack?.stop());
  const base = () => stack.gatewayUrl.replace(/\/graphql$/, '');

  it('/health answers without a token', async () => {
    const res = await fetch(`${base()}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', service: 'gateway' });
  });

  it('/ready reports each subgraph', async () => {
    const res = await fetch(`${base()}/ready`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ready', checks: { sessions: 'ok' } });
  });

  it('/metrics speaks Prometheus and counts requests', async () => {
    const token = await stack.token('metrics');
    ok(await graphql(stack.gatewayUrl, '{ submodules { id } }', {}, token));
    const res = await fetch(`${base()}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/memctx_http_request_duration_seconds_count\{service="gateway",route="\/graphql",method="POST",status="200"\} \d+/);
    expect(text).toContain('process_resident_memory_bytes');
  });

  it('serves the Sandbox landing page and introspection', async () => {
    const res = await fetch(stack.gatewayUrl, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/sandbox/i);
    const token = await stack.token('explorer');
    const schema = ok(await graphql(stack.gatewayUrl, '{ __type(name: "Session") { description fields { name } } }', {}, token));
    expect(schema.__type.description).toBe('A recorded agent conversation.');
  });

  it('echoes a request id and forwards it', async () => {
    const token = await stack.token('rid');
    const res = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': 'trace-abc-123' },
      body: JSON.stringify({ query: '{ submodules { id } }' }),
    });
    expect(res.headers.get('x-request-id')).toBe('trace-abc-123');
  });

  it('/ready turns 503 when a subgraph is down, and the error is clear', async () => {
    const token = await stack.token('down');
    await stack.sessions.close();
    const res = await fetch(`${base()}/ready`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { checks: Record<string, string> };
    expect(body.checks.sessions).not.toBe('ok');
    const query = await graphql(stack.gatewayUrl, '{ submodules { id } }', {}, token);
    expect(query.data?.submodules ?? null).toBeNull();
    expect(codes(query)).toEqual(['UNAVAILABLE']);
  });
});

describe('gateway endpoints (production)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: 'production' });
  });
  afterAll(async () => stack?.stop());

  it('has no landing page and no introspection, and masks internals', async () => {
    const page = await fetch(stack.gatewayUrl, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toMatch(/sandbox/i);
    const token = await stack.token('prod');
    const res = await graphql(stack.gatewayUrl, '{ __schema { types { name } } }', {}, token);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(ok(await graphql(stack.gatewayUrl, '{ submodules { id } }', {}, token)).submodules).toEqual([]);
  });
});
