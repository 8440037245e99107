import { loadConfig, startupErrorMessage, type Config } from '@memory-context/config';
import { createServiceDeps } from '@memory-context/server-kit';
import { createSessionsSubgraph } from './subgraph.js';

/** Runs the sessions subgraph on its own (production: one process per service). */
let config: Config | undefined;
try {
  config = loadConfig();
  const deps = await createServiceDeps(config, { service: 'sessions' });
  const subgraph = await createSessionsSubgraph(deps);
  const url = await subgraph.listen(config.sessionsPort, config.host);
  deps.logger.info({ url }, 'sessions subgraph listening');

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void subgraph.close().then(() => deps.close()).then(() => process.exit(0));
    });
  }
} catch (error) {
  // A busy port names its variable, a bad configuration lists its problems: no stack trace for those.
  process.stderr.write(`${startupErrorMessage(error, config, 'node services/sessions/dist/main.js')}\n`);
  process.exit(1);
}
