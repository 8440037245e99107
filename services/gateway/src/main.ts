// Apollo's gateway reports anonymous usage unless told not to; memory-context never phones home.
process.env.APOLLO_TELEMETRY_DISABLED ??= '1';

const { createVerifier } = await import('@memory-context/auth');
const { loadConfig, startupErrorMessage } = await import('@memory-context/config');
const { createLogger } = await import('@memory-context/telemetry');
const { createGatewayServer } = await import('./gateway-server.js');

/** Runs the gateway on its own against subgraphs at MEMCTX_*_URL (production). */
let config: ReturnType<typeof loadConfig> | undefined;
try {
  config = loadConfig();
  const logger = createLogger({ level: config.logLevel, service: 'gateway' });
  const gateway = await createGatewayServer({ config, verifier: await createVerifier(config), logger });
  const url = await gateway.listen(config.gatewayPort, config.host);
  logger.info({ url: `${url}/graphql` }, 'gateway listening');

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void gateway.close().then(() => process.exit(0)));
  }
} catch (error) {
  // A busy port names its variable, a bad configuration lists its problems: no stack trace for those.
  process.stderr.write(`${startupErrorMessage(error, config, 'node services/gateway/dist/main.js')}\n`);
  process.exit(1);
}
