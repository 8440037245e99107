import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AuthForwardingDataSource } from './auth-data-source.js';
import { subgraphFetch } from './subgraph-fetch.js';

/** A stand-in subgraph: records what it received; `/graphql` answers data, anything else a 500. */
let subgraph: Server;
let base: string;
let received: { headers: IncomingHttpHeaders; body: string } | undefined;

beforeAll(async () => {
  subgraph = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received = { headers: request.headers, body };
      if (request.url === '/graphql') {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { ok: true } }));
      } else if (request.url === '/refuses') {
        const refusal = { errors: [{ message: 'input.title contains a NUL character (\\u0000).', extensions: { code: 'BAD_USER_INPUT', field: 'input.title', http: { status: 400 } } }] };
        response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify(refusal));
      } else {
        response.writeHead(500, { 'content-type': 'text/plain' }).end('subgraph broke');
      }
    });
  });
  await new Promise<void>((resolve) => subgraph.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(subgraph.address() as AddressInfo).port}`;
});
afterAll(async () => new Promise<void>((resolve) => subgraph.close(() => resolve())));

function call(url: string) {
  return new AuthForwardingDataSource({ name: 'sessions', url }).process({
    // @apollo/gateway does not export its request-kind enum.
    kind: 'loading schema' as Extract<GraphQLDataSourceProcessOptions['kind'], 'loading schema'>,
    request: { query: '{ ok }', variables: { a: 1 } },
    context: { authorization: 'Bearer abc', requestId: 'rid-1' },
  });
}

describe('AuthForwardingDataSource', () => {
  it('calls subgraphs with Node fetch, not the default make-fetch-happen', () => {
    expect(new AuthForwardingDataSource({ name: 'sessions', url: base }).fetcher).toBe(subgraphFetch);
  });

  it('forwards the token, the request id and the operation, and reads the answer', async () => {
    const response = await call(`${base}/graphql`);
    expect(response.data).toEqual({ ok: true });
    expect(response.http?.status).toBe(200);
    expect(received?.headers).toMatchObject({ authorization: 'Bearer abc', 'x-request-id': 'rid-1', 'content-type': 'application/json' });
    expect(JSON.parse(received?.body ?? '')).toEqual({ query: '{ ok }', variables: { a: 1 } });
  });

  it('answers a 5xx without a GraphQL body as UNAVAILABLE naming the service, not its address', async () => {
    const error = await call(`${base}/broken`).catch((e: unknown) => e);
    expect(error).toMatchObject({ message: 'The sessions service is unavailable; try again later.', extensions: { code: 'UNAVAILABLE', service: 'sessions', retryable: true } });
    expect(JSON.stringify(error)).not.toMatch(/127\.0\.0\.1|http:/);
  });

  it("relays a subgraph's own GraphQL refusal with its code and the service", async () => {
    await expect(call(`${base}/refuses`)).rejects.toMatchObject({
      message: 'input.title contains a NUL character (\\u0000).',
      extensions: { code: 'BAD_USER_INPUT', field: 'input.title', service: 'sessions' },
    });
  });

  it('answers UNAVAILABLE when the subgraph cannot be reached; the socket error stays in the cause for the logs', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/graphql`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = (await call(url).catch((e: unknown) => e)) as Error & { extensions: Record<string, unknown>; originalError: Error & { code?: string } };
    expect(error).toMatchObject({ message: 'The sessions service is unavailable; try again later.', extensions: { code: 'UNAVAILABLE', service: 'sessions', retryable: true } });
    expect(error.originalError).toMatchObject({ message: `request to ${url} failed, reason: connect ECONNREFUSED ${url.slice(7, -8)}`, code: 'ECONNREFUSED' });
  });
});
