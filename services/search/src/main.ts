import { loadConfig, startupErrorMessage, type Config } from '@memory-context/config';
import { createServiceDeps } from '@memory-context/server-kit';
import { createSearchSubgraph } from './subgraph.js';

/** Runs the search subgraph and its indexer on its own (production: one process per service). */
let config: Config | undefined;
try {
  config = loadConfig();
  const deps = await createServiceDeps(config, { service: 'search' });
  const subgraph = await createSearchSubgraph(deps);
  const url = await subgraph.listen(config.searchPort, config.host);
  deps.logger.info({ url }, 'search subgraph listening');

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void subgraph.close().then(() => deps.close()).then(() => process.exit(0));
    });
  }
} catch (error) {
  // A busy port names its variable, a bad configuration lists its problems: no stack trace for those.
  process.stderr.write(`${startupErrorMessage(error, config, 'node services/search/dist/main.js')}\n`);
  process.exit(1);
}
