import { parse } from 'graphql';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { AuditLog } from '@memory-context/audit';
import { createVerifier, issueToken } from '@memory-context/auth';
import { loadConfig } from '@memory-context/config';
import type { Database } from '@memory-context/db';
import { createLogger } from '@memory-context/telemetry';
import { createSubgraphServer, type RunningServer } from './subgraph-server.js';

const secret = 'x'.repeat(40);
let server: RunningServer;
let token: string;

beforeAll(async () => {
  server = await createSubgraphServer({
    name: 'test',
    typeDefs: parse('type Query { hello: String }'),
    resolvers: { Query: { hello: () => 'world' } },
    // The query below touches neither the database nor the audit log.
    database: { ping: async () => {} } as unknown as Database,
    audit: {} as AuditLog,
    verifier: await createVerifier(loadConfig({ MEMCTX_JWT_SECRET: secret })),
    logger: createLogger({ level: 'silent', service: 'test' }),
    production: false,
    bodyLimit: 100_000,
  });
  token = await issueToken(
    { submoduleId: 'a', scopes: ['memory:read'], issuer: 'memory-context', audience: 'memory-context', ttlSeconds: 60 },
    { alg: 'HS256', secret: new TextEncoder().encode(secret) },
  );
});
afterAll(async () => server?.close());

it('answers without cache-control: the plugin that collects cache hints is off', async () => {
  const response = await server.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    payload: { query: '{ hello }' },
  });
  expect(response.json()).toEqual({ data: { hello: 'world' } });
  expect(response.headers['cache-control']).toBeUndefined();
});
