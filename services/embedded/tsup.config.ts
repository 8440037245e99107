import { fileURLToPath } from 'node:url';
import { serviceBundle } from '../tsup.service.js';

const bundle = serviceBundle(new URL('./', import.meta.url), { wordVectors: true });
const source = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

// The worker threads of the `threads` layout load their bundles beside `main.js`:
// the gateway's (gateway-thread.ts) and PGlite's (libs/db/src/pglite-thread/client.ts).
export default {
  ...bundle,
  entry: {
    ...(bundle.entry as Record<string, string>),
    'gateway-worker': source('./src/gateway-worker.ts'),
    'pglite-worker': source('../../libs/db/src/pglite-thread/worker.ts'),
  },
};
