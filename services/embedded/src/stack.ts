import { issueToken, resolveHmacSecret } from '@memory-context/auth';
import { loadConfig, type Config } from '@memory-context/config';
import type { Database } from '@memory-context/db';
import { createGatewayServer } from '@memory-context/gateway';
import type { Scope } from '@memory-context/protocol';
import { createServiceDeps, type ServiceDeps } from '@memory-context/server-kit';
import { createCheckpointsSubgraph, type CheckpointsSubgraph } from '@memory-context/checkpoints-service';
import { createPatternsSubgraph, type PatternsSubgraph } from '@memory-context/patterns-service';
import { createSearchSubgraph, type SearchSubgraph } from '@memory-context/search-service';
import { createSessionsSubgraph, type SessionsSubgraph } from '@memory-context/sessions-service';
import { startBackupScheduler } from './backup-scheduler.js';
import { openDataDir, type OpenDataDir } from './data-dir.js';
import { startGatewayThread } from './gateway-thread.js';

/**
 * How the stack spreads over threads: `single`, the gateway, the subgraphs
 * and PGlite on one; `gateway-thread`, the gateway in a worker thread;
 * `threads`, the gateway in a worker thread and the embedded PGlite in
 * another, so the subgraphs' JavaScript, PGlite's WebAssembly and the
 * gateway run side by side on both cores (MEMCTX_EMBEDDED_LAYOUT; `npm start`
 * uses the setting).
 */
export type StackLayout = 'single' | 'gateway-thread' | 'threads';

export interface StackOptions {
  config?: Config;
  /** An open, migrated database to use instead of the configured one (tests). */
  database?: Database;
  /** Listen on free ports chosen by the OS (tests running in parallel). */
  ephemeralPorts?: boolean;
  /** Token pre-filled in Sandbox. */
  sandboxToken?: boolean;
  /** Default `single` (tests and benches choose); `npm start` passes MEMCTX_EMBEDDED_LAYOUT. */
  layout?: StackLayout;
}

export interface Stack {
  readonly config: Config;
  readonly deps: ServiceDeps;
  readonly gatewayUrl: string;
  readonly subgraphUrls: { sessions: string; patterns: string; checkpoints: string; search: string };
  readonly sessions: SessionsSubgraph;
  readonly patterns: PatternsSubgraph;
  readonly checkpoints: CheckpointsSubgraph;
  readonly search: SearchSubgraph;
  readonly layout: StackLayout;
  /** Signs a token with the stack's secret. */
  token(submoduleId: string, scopes?: Scope[], ttlSeconds?: number): Promise<string>;
  /**
   * Takes a backup into MEMCTX_BACKUP_DIR now. Undefined when the stack runs on
   * a database it was handed (tests): that database is its owner's to back up.
   */
  readonly backup: (() => Promise<string>) | undefined;
  /** Stops the gateway alone (the SDK's offline tests). */
  stopGateway(): Promise<void>;
  /** Starts the gateway again on the same port. */
  startGateway(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The embedded stack: every subgraph and the gateway in this process on
 * loopback, over one database (PGlite by default).
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const config = options.config ?? loadConfig();
  const ownsDataDir = options.database === undefined && config.databaseUrl === undefined;
  const dataDir = ownsDataDir ? await openDataDir(config, { pgliteThread: (options.layout ?? 'single') === 'threads' }) : undefined;
  const opened: Array<{ close(): Promise<void> }> = [];
  try {
    return await assemble(options, config, dataDir, opened);
  } catch (error) {
    // A failed start (a busy port) gives the data directory up, so this process may start again.
    for (const part of opened.reverse()) await part.close().catch(() => {});
    await dataDir?.close().catch(() => {});
    throw error;
  }
}

async function assemble(options: StackOptions, configured: Config, dataDir: OpenDataDir | undefined, opened: Array<{ close(): Promise<void> }>): Promise<Stack> {
  let config = configured;
  const deps = dataDir?.deps ?? (await createServiceDeps(config, { service: 'embedded', ...(options.database ? { database: options.database } : {}) }));
  if (!dataDir) opened.push(deps);
  const host = config.host;
  const port = (configured: number) => (options.ephemeralPorts ? 0 : configured);
  const open = <T extends { close(): Promise<void> }>(part: T): T => (opened.push(part), part);
  const sessions = open(await createSessionsSubgraph(deps));
  const patterns = open(await createPatternsSubgraph(deps));
  const checkpoints = open(await createCheckpointsSubgraph(deps));
  const search = open(await createSearchSubgraph(deps));
  const subgraphUrls = {
    sessions: `${await sessions.listen(port(config.sessionsPort), host)}/graphql`,
    patterns: `${await patterns.listen(port(config.patternsPort), host)}/graphql`,
    checkpoints: `${await checkpoints.listen(port(config.checkpointsPort), host)}/graphql`,
    search: `${await search.listen(port(config.searchPort), host)}/graphql`,
  };
  config = Object.freeze({ ...config, sessionsUrl: subgraphUrls.sessions, patternsUrl: subgraphUrls.patterns, checkpointsUrl: subgraphUrls.checkpoints, searchUrl: subgraphUrls.search });

  const token = (submoduleId: string, scopes: Scope[] = ['memory:read', 'memory:write'], ttlSeconds = 24 * 3600) =>
    issueToken(
      { submoduleId, scopes, issuer: config.jwtIssuer, audience: config.jwtAudience, ttlSeconds },
      { alg: 'HS256', secret: resolveHmacSecret(config) },
    );
  const sandboxToken = options.sandboxToken ? await token('dev') : undefined;
  const layout = options.layout ?? 'single';
  /** The gateway listening on `gatewayPort`, on this thread or its own; resolves to its closer. */
  const startGatewayOn = async (gatewayPort: number): Promise<{ url: string; close(): Promise<void> }> => {
    if (layout !== 'single') return startGatewayThread({ config, port: gatewayPort, host, ...(sandboxToken ? { sandboxToken } : {}) });
    const server = await createGatewayServer({ config, verifier: deps.verifier, logger: deps.logger.child({ component: 'gateway' }), ...(sandboxToken ? { sandboxToken } : {}) });
    try {
      return { url: await server.listen(gatewayPort, host), close: () => server.close() };
    } catch (error) {
      await server.close().catch(() => {});
      throw error;
    }
  };

  let gateway = open(await startGatewayOn(options.ephemeralPorts ? 0 : config.gatewayPort));
  const gatewayBase = gateway.url;
  const gatewayPort = Number(new URL(gatewayBase).port);
  const backups = options.database
    ? undefined
    : await startBackupScheduler({
        database: deps.database,
        dir: config.backupDir,
        keep: config.backupKeep,
        intervalSeconds: config.backupIntervalSeconds,
        logger: deps.logger.child({ component: 'backup' }),
      });

  return {
    config,
    deps,
    gatewayUrl: `${gatewayBase}/graphql`,
    subgraphUrls,
    sessions,
    patterns,
    checkpoints,
    search,
    layout,
    token,
    backup: backups?.backupNow,
    async stopGateway() {
      await gateway.close();
    },
    async startGateway() {
      gateway = await startGatewayOn(gatewayPort);
    },
    async stop() {
      await backups?.stop();
      await gateway.close().catch(() => {});
      for (const subgraph of [search, checkpoints, patterns, sessions]) await subgraph.close();
      if (dataDir) await dataDir.close();
      else await deps.close();
    },
  };
}
