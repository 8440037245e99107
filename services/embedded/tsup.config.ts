import { fileURLToPath } from 'node:url';
import { serviceBundle } from '../tsup.service.js';

const bundle = serviceBundle(new URL('./', import.meta.url), { wordVectors: true });

// The gateway's worker thread (gateway-thread.ts) loads `dist/gateway-worker.js` beside `main.js`.
export default { ...bundle, entry: { ...(bundle.entry as Record<string, string>), 'gateway-worker': fileURLToPath(new URL('./src/gateway-worker.ts', import.meta.url)) } };
