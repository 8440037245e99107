// TEMPORARY: stands in for the embedded stack until it wires the checkpoints subgraph. Delete me.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { issueToken, resolveHmacSecret } from '@memory-context/auth';
import { loadConfig, type Config } from '@memory-context/config';
import { createTestDatabase } from '@memory-context/db/testing';
import { createGatewayServer } from '@memory-context/gateway';
import type { Scope } from '@memory-context/protocol';
import { createServiceDeps, loadSchemaFile } from '@memory-context/server-kit';
import { createSessionsSubgraph } from '@memory-context/sessions-service';
import { createCheckpointsSubgraph } from '@memory-context/checkpoints-service';
import { TEST_SECRET } from './src/index.js';

export async function startTestStack(overrides: Partial<Config> = {}) {
  const testDatabase = await createTestDatabase();
  let config = loadConfig({ MEMCTX_DATA_DIR: mkdtempSync(join(tmpdir(), 'memctx-tmp-')), MEMCTX_JWT_SECRET: TEST_SECRET, MEMCTX_LOG_LEVEL: 'silent' }, overrides);
  const deps = await createServiceDeps(config, { service: 'tmp', database: testDatabase.database });
  const sessions = await createSessionsSubgraph(deps);
  const checkpoints = await createCheckpointsSubgraph(deps);
  const sessionsUrl = `${await sessions.listen(0, config.host)}/graphql`;
  const checkpointsUrl = `${await checkpoints.listen(0, config.host)}/graphql`;
  config = Object.freeze({ ...config, sessionsUrl, checkpointsUrl });
  const composed = composeServices([
    { name: 'sessions', url: sessionsUrl, typeDefs: loadSchemaFile('sessions') },
    { name: 'checkpoints', url: checkpointsUrl, typeDefs: loadSchemaFile('checkpoints') },
  ]);
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  const gateway = await createGatewayServer({ config, verifier: deps.verifier, logger: deps.logger, supergraphSdl: composed.supergraphSdl });
  const gatewayUrl = `${await gateway.listen(0, config.host)}/graphql`;
  return {
    config,
    deps,
    testDatabase,
    gatewayUrl,
    subgraphUrls: { sessions: sessionsUrl, checkpoints: checkpointsUrl },
    sessions,
    checkpoints,
    token: (submoduleId: string, scopes: Scope[] = ['memory:read', 'memory:write'], ttlSeconds = 3600) =>
      issueToken({ submoduleId, scopes, issuer: config.jwtIssuer, audience: config.jwtAudience, ttlSeconds }, { alg: 'HS256', secret: resolveHmacSecret(config) }),
    async stop() {
      await gateway.close();
      await checkpoints.close();
      await sessions.close();
      await deps.close();
      await testDatabase.close();
    },
  };
}
export type TestStack = Awaited<ReturnType<typeof startTestStack>>;
