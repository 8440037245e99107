import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  return new AuthForwardingDataSource({ url }).process({
    // @apollo/gateway does not export its request-kind enum.
    kind: 'loading schema' as Extract<GraphQLDataSourceProcessOptions['kind'], 'loading schema'>,
    request: { query: '{ ok }', variables: { a: 1 } },
    context: { authorization: 'Bearer abc', requestId: 'rid-1' },
  });
}

describe('AuthForwardingDataSource', () => {
  it('calls subgraphs with Node fetch, not the default make-fetch-happen', () => {
    expect(new AuthForwardingDataSource({ url: base }).fetcher).toBe(subgraphFetch);
  });

  it('forwards the token, the request id and the operation, and reads the answer', async () => {
    const response = await call(`${base}/graphql`);
    expect(response.data).toEqual({ ok: true });
    expect(response.http?.status).toBe(200);
    expect(received?.headers).toMatchObject({ authorization: 'Bearer abc', 'x-request-id': 'rid-1', 'content-type': 'application/json' });
    expect(JSON.parse(received?.body ?? '')).toEqual({ query: '{ ok }', variables: { a: 1 } });
  });

  it('turns an error status into a GraphQL error with the response', async () => {
    await expect(call(`${base}/broken`)).rejects.toMatchObject({
      message: '500: Internal Server Error',
      extensions: { response: { status: 500, body: 'subgraph broke' } },
    });
  });

  it('names the subgraph and the socket error when it cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/graphql`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(call(url)).rejects.toMatchObject({ message: `request to ${url} failed, reason: connect ECONNREFUSED ${url.slice(7, -8)}`, code: 'ECONNREFUSED' });
  });
});
