import { createVerifier } from '@memory-context/auth';
import { loadConfig } from '@memory-context/config';
import { createLogger } from '@memory-context/telemetry';
import { createGatewayServer } from './gateway-server.js';

/** Runs the gateway on its own against subgraphs at MEMCTX_*_URL (production). */
const config = loadConfig();
const logger = createLogger({ level: config.logLevel, service: 'gateway' });
const gateway = await createGatewayServer({ config, verifier: await createVerifier(config), logger });
const url = await gateway.listen(config.gatewayPort, config.host);
logger.info({ url: `${url}/graphql` }, 'gateway listening');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void gateway.close().then(() => process.exit(0)));
}
