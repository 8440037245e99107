import { loadConfig, startupErrorMessage, type Config } from '@memory-context/config';
import { createServiceDeps } from '@memory-context/server-kit';
import { createPatternsSubgraph } from './subgraph.js';

/** Runs the patterns subgraph on its own (production: one process per service). */
let config: Config | undefined;
try {
  config = loadConfig();
  const deps = await createServiceDeps(config, { service: 'patterns' });
  const subgraph = await createPatternsSubgraph(deps);
  const url = await subgraph.listen(config.patternsPort, config.host);
  deps.logger.info({ url }, 'patterns subgraph listening');

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void subgraph.close().then(() => deps.close()).then(() => process.exit(0));
    });
  }
} catch (error) {
  // A busy port names its variable, a bad configuration lists its problems: no stack trace for those.
  process.stderr.write(`${startupErrorMessage(error, config, 'node services/patterns/dist/main.js')}\n`);
  process.exit(1);
}
