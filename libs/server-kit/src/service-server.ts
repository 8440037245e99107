import type { SubgraphResolvers } from './resolver-map.js';
import type { Logger } from '@memory-context/telemetry';
import type { ServiceDeps } from './deps.js';
import { loadSchemaFile } from './schema-file.js';
import { createSubgraphServer, type RunningServer } from './subgraph-server.js';

/** A subgraph's server from its service dependencies: `schema/<name>.graphql`, the shared verifier, audit log and limits. */
export function createServiceServer(deps: ServiceDeps, options: { name: string; resolvers: SubgraphResolvers; logger: Logger }): Promise<RunningServer> {
  return createSubgraphServer({
    name: options.name,
    typeDefs: loadSchemaFile(options.name),
    resolvers: options.resolvers,
    database: deps.database,
    verifier: deps.verifier,
    audit: deps.audit,
    logger: options.logger,
    production: deps.production,
    bodyLimit: deps.config.maxBodyBytes,
    maxInputDepth: deps.config.maxInputDepth,
  });
}
