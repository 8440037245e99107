import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { SubgraphResolvers } from './resolver-map.js';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import type { FastifyInstance } from 'fastify';
import type { DocumentNode } from 'graphql';
import type { TokenVerifier } from '@memory-context/auth';
import { withAccessReason, type AuditLog } from '@memory-context/audit';
import type { Database } from '@memory-context/db';
import { ACCESS_REASON_HEADER, parseAccessReason } from '@memory-context/protocol';
import { normalizeError } from './errors.js';
import { createErrorFormatter, logServerError, requestError } from './errors.js';
import { graphqlErrors, graphqlOperations, type Logger } from '@memory-context/telemetry';
import type { RequestContext } from './context.js';
import { createHttpServer, probe } from './http.js';
import { inputHygienePlugin } from './input-hygiene-plugin.js';
import { DEFAULT_MAX_INPUT_DEPTH } from '@memory-context/protocol';

export interface SubgraphOptions {
  name: string;
  typeDefs: DocumentNode;
  resolvers: SubgraphResolvers;
  database: Database;
  verifier: TokenVerifier;
  audit: AuditLog;
  logger: Logger;
  production: boolean;
  bodyLimit: number;
  /** Deepest nesting of one argument (MEMCTX_MAX_INPUT_DEPTH). */
  maxInputDepth?: number;
}

export interface RunningServer {
  readonly app: FastifyInstance;
  listen(port: number, host: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * A subgraph: Apollo Server over buildSubgraphSchema inside the shared HTTP
 * shell. The forwarded token is verified again here, so reaching a subgraph
 * directly grants nothing (ARCHITECTURE §4).
 */
export async function createSubgraphServer(options: SubgraphOptions): Promise<RunningServer> {
  const app = createHttpServer({
    service: options.name,
    logger: options.logger,
    bodyLimit: options.bodyLimit,
    ready: async () => ({ database: await probe(() => options.database.ping()) }),
  });
  const apollo = new ApolloServer<RequestContext>({
    schema: buildSubgraphSchema([{ typeDefs: options.typeDefs, resolvers: options.resolvers as never }]),
    introspection: !options.production,
    includeStacktraceInErrorResponses: false,
    formatError: createErrorFormatter({ production: options.production, service: options.name, onServerError: logServerError(options.logger) }),
    plugins: [
      fastifyApolloDrainPlugin(app),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      // No schema sets cache hints, yet the default plugin wraps every field resolver to collect them.
      ApolloServerPluginCacheControlDisabled(),
      operationMetrics(options.name),
      inputHygienePlugin({ maxDepth: options.maxInputDepth ?? DEFAULT_MAX_INPUT_DEPTH }),
    ],
  });
  await apollo.start();
  await app.register(fastifyApollo(apollo), {
    path: '/graphql',
    context: async (request) => {
      try {
        const principal = await options.verifier.verifyHeader(request.headers.authorization);
        const accessReason = parseAccessReason(request.headers[ACCESS_REASON_HEADER]);
        return {
          principal,
          requestId: request.id,
          log: options.logger.child({ requestId: request.id, submodule: principal.submoduleId }),
          audit: withAccessReason(options.audit, accessReason),
          accessReason,
          loaders: new Map(),
        };
      } catch (error) {
        throw requestError(normalizeError(error));
      }
    },
  });
  return serverHandle(app);
}

export function serverHandle(app: FastifyInstance): RunningServer {
  return {
    app,
    async listen(port, host) {
      return app.listen({ port, host });
    },
    async close() {
      await app.close();
    },
  };
}

function operationMetrics(service: string): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) graphqlErrors.inc({ service, code: normalizeError(error).code });
        },
        async willSendResponse({ operation, errors }) {
          graphqlOperations.inc({ service, type: operation?.operation ?? 'unknown', outcome: errors?.length ? 'error' : 'ok' });
        },
      };
    },
  };
}
