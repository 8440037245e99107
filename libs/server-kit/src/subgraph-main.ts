import { loadConfig, startupErrorMessage, subgraphPort, type Config, type SubgraphName } from '@memory-context/config';
import { createServiceDeps, type ServiceDeps } from './deps.js';

interface Listening {
  listen(port: number, host: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * A subgraph's own main (production: one process per service): configuration,
 * dependencies, the port from its MEMCTX_*_PORT, and a clean stop on SIGINT or
 * SIGTERM. A process that cannot start says why on stderr and exits 1: a busy
 * port names its variable, a bad configuration lists its problems.
 */
export async function runSubgraphMain(service: SubgraphName, create: (deps: ServiceDeps) => Promise<Listening>): Promise<void> {
  let config: Config | undefined;
  try {
    config = loadConfig();
    const deps = await createServiceDeps(config, { service });
    const subgraph = await create(deps);
    const url = await subgraph.listen(subgraphPort(config, service), config.host);
    deps.logger.info({ url }, `${service} subgraph listening`);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        void subgraph.close().then(() => deps.close()).then(() => process.exit(0));
      });
    }
  } catch (error) {
    process.stderr.write(`${startupErrorMessage(error, config, `node services/${service}/dist/main.js`)}\n`);
    process.exit(1);
  }
}
