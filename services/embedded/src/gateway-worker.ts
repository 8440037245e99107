/**
 * The embedded gateway's worker thread (gateway-thread.ts starts it): the
 * gateway alone, on its own event loop, in front of the subgraphs the main
 * thread serves. Speaks over the worker port: `listening` or `failed` once,
 * then `close` → `closed`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '@memory-context/config';
import type { GatewayWorkerData, GatewayWorkerMessage } from './gateway-thread.js';

// Apollo's gateway reports anonymous usage unless told not to; memory-context never phones home.
process.env.APOLLO_TELEMETRY_DISABLED ??= '1';

const { createVerifier } = await import('@memory-context/auth');
const { createLogger } = await import('@memory-context/telemetry');
const { createGatewayServer } = await import('@memory-context/gateway');

const data = workerData as GatewayWorkerData;
const config = Object.freeze(data.config) as Config;
const port = parentPort!;
const send = (message: GatewayWorkerMessage) => port.postMessage(message);

try {
  const logger = createLogger({ level: config.logLevel, service: 'embedded' }).child({ component: 'gateway' });
  const gateway = await createGatewayServer({ config, verifier: await createVerifier(config), logger, ...(data.sandboxToken ? { sandboxToken: data.sandboxToken } : {}) });
  const url = await gateway.listen(data.port, data.host);
  port.on('message', (message: { type: 'close' }) => {
    if (message.type !== 'close') return;
    void gateway
      .close()
      .catch(() => {})
      .then(() => send({ type: 'closed' }));
  });
  send({ type: 'listening', url });
} catch (error) {
  const { message, stack, code, port: errorPort, address } = error as NodeJS.ErrnoException & { port?: number; address?: string };
  send({ type: 'failed', error: { message: message ?? String(error), ...(stack ? { stack } : {}), ...(code ? { code } : {}), ...(errorPort !== undefined ? { port: errorPort } : {}), ...(address ? { address } : {}) } });
}
