import { loadConfig } from '@memory-context/config';
import { createServiceDeps } from '@memory-context/server-kit';
import { createPatternsSubgraph } from './subgraph.js';

/** Runs the patterns subgraph on its own (production: one process per service). */
const config = loadConfig();
const deps = await createServiceDeps(config, { service: 'patterns' });
const subgraph = await createPatternsSubgraph(deps);
const url = await subgraph.listen(config.patternsPort, config.host);
deps.logger.info({ url }, 'patterns subgraph listening');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void subgraph.close().then(() => deps.close()).then(() => process.exit(0));
  });
}
