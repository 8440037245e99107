import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import cors from '@fastify/cors';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { sandboxEnabled, subgraphUrl, type Config, type SubgraphName } from '@memory-context/config';
import type { TokenVerifier } from '@memory-context/auth';
import { createErrorFormatter, createHttpServer, inputHygienePlugin, logServerError, normalizeError, probe, requestError, serverHandle, type RunningServer } from '@memory-context/server-kit';
import type { Logger } from '@memory-context/telemetry';
import { AuthForwardingDataSource } from './auth-data-source.js';
import { readCommittedSupergraph, subgraphFiles } from './compose.js';
import { EXPLORER_PATH, registerExplorer } from './explorer.js';
import { sandboxLandingPage } from './landing-page.js';
import type { GatewayContext } from './gateway-context.js';
import { createRateLimiter } from './rate-limit.js';
import { ACCESS_REASON_HEADER, parseAccessReason } from '@memory-context/protocol';

export interface GatewayOptions {
  config: Config;
  verifier: TokenVerifier;
  logger: Logger;
  /** Supergraph SDL; defaults to the committed schema/supergraph.graphql. */
  supergraphSdl?: string;
  /** Pre-filled Authorization header in Sandbox and the local explorer (embedded development stack only). */
  sandboxToken?: string;
}

/** Origins of Apollo Sandbox and Studio, which call the gateway from the browser. */
const SANDBOX_ORIGINS = ['https://studio.apollographql.com', 'https://sandbox.embed.apollographql.com', 'https://explorer.embed.apollographql.com'];

export async function createGatewayServer(options: GatewayOptions): Promise<RunningServer> {
  const { config, logger } = options;
  const production = config.env === 'production';
  const sandbox = sandboxEnabled(config);
  const names = subgraphFiles().map((s) => s.name as SubgraphName);

  const app = createHttpServer({
    service: 'gateway',
    logger,
    bodyLimit: config.maxBodyBytes,
    ready: async () => {
      const entries = await Promise.all(
        names.map(async (name) => [name, await probe(() => fetchReady(subgraphUrl(config, name)))] as const),
      );
      return Object.fromEntries(entries);
    },
  });
  await app.register(cors, {
    origin: (origin, done) => done(null, origin === undefined || SANDBOX_ORIGINS.includes(origin) || /^https?:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/.test(origin)),
    credentials: false,
  });
  app.get('/', async (_request, reply) => reply.redirect('/graphql'));
  if (sandbox) await registerExplorer(app, { graphqlPath: '/graphql', ...(options.sandboxToken ? { token: options.sandboxToken } : {}) });

  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl ?? readCommittedSupergraph(),
    buildService: ({ name }) => new AuthForwardingDataSource({ name, url: subgraphUrl(config, name as SubgraphName) }),
    logger: { debug: () => {}, info: (m) => logger.info(m), warn: (m) => logger.warn(m), error: (m) => logger.error(m) },
  });

  const armor = new ApolloArmor({
    maxDepth: { n: config.maxDepth, ignoreIntrospection: true },
    maxAliases: { n: config.maxAliases },
    maxTokens: { n: config.maxTokens },
    costLimit: { maxCost: config.maxCost, ignoreIntrospection: true },
    maxDirectives: { n: 50 },
    blockFieldSuggestion: { enabled: production },
  }).protect();

  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: sandbox,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    validationRules: armor.validationRules,
    formatError: createErrorFormatter({ production, service: 'gateway', onServerError: logServerError(logger) }),
    // Typed against @apollo/server's CommonJS declarations; the same objects at run time.
    plugins: ([
      ...armor.plugins,
      fastifyApolloDrainPlugin(app),
      inputHygienePlugin({ maxDepth: config.maxInputDepth }),
     
      sandbox
        ? sandboxLandingPage({ explorerPath: EXPLORER_PATH, ...(options.sandboxToken ? { token: options.sandboxToken } : {}) })
        : ApolloServerPluginLandingPageDisabled(),
    ] as unknown[]) as Array<ApolloServerPlugin<GatewayContext>>,
  });
  await apollo.start();
  const rateLimiter = createRateLimiter(config, logger);
  await rateLimiter?.ready();
  await app.register(fastifyApollo(apollo), {
    path: '/graphql',
    context: async (request): Promise<GatewayContext> => {
      let context: GatewayContext;
      try {
        const authorization = request.headers.authorization;
        const principal = await options.verifier.verifyHeader(authorization);
        const accessReason = parseAccessReason(request.headers[ACCESS_REASON_HEADER]);
        context = { principal, authorization: authorization ?? '', requestId: request.id, accessReason };
      } catch (error) {
        throw requestError(normalizeError(error));
      }
      // Outside the try: its error carries the 429 status and Retry-After header as they are.
      await rateLimiter?.consume(context.principal, context.authorization);
      return context;
    },
  });
  const handle = serverHandle(app);
  return {
    ...handle,
    async close() {
      await handle.close();
      await rateLimiter?.close();
    },
  };
}

async function fetchReady(graphqlUrl: string): Promise<void> {
  const url = new URL(graphqlUrl);
  url.pathname = url.pathname.replace(/\/graphql$/, '') + '/ready';
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  if (!response.ok) throw new Error(`${url.toString()} answered ${response.status}`);
}
