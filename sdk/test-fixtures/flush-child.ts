/**
 * Child process of e2e/sdk-crash.test.ts: queues N session writes in the cache
 * at argv[4], then flushes them in batches of 10, two in flight, slowly enough to be killed half way.
 * Usage: node --import tsx flush-child.ts <url> <token> <cachePath> <n>
 */
import { createClient } from '../src/index.js';

const [url, token, cachePath, n] = process.argv.slice(2);
const client = createClient({ url, token, cachePath, pushOnWrite: false, pullIntervalMs: 0, flushConcurrency: 2, pushBatchSize: 10 });
for (let i = 0; i < Number(n); i++) {
  await client.sessions.create({ title: `crash-test ${i}`, privacyLevel: 'TEAM', content: [{ role: 'user', text: `write ${i}` }] });
}
process.stdout.write('queued\n');
const result = await client.flush();
process.stdout.write(`flushed ${JSON.stringify(result)}\n`);
await client.close();
