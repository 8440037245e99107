/**
 * The embedded stack for sdk-bench.ts, in its own process as `npm start` runs
 * it, so the client's figures are not the server's and the two use both cores.
 * Speaks over the fork IPC channel: `ready` → `seed` / `seeded` → `stop`.
 */
process.env.APOLLO_TELEMETRY_DISABLED = '1';
process.env.MEMCTX_LOG_LEVEL = 'silent';

export type ServerMessage = { type: 'ready'; gatewayUrl: string; writer: string; reader: string } | { type: 'seeded'; ids: string[] };
export type ClientMessage = { type: 'seed'; count: number; content: Array<{ role: string; text: string }> } | { type: 'stop' };

const { startTestStack } = await import('../src/harness.js');
const { seedSessions } = await import('./lib/seed.js');
const stack = await startTestStack();

/** Seeds through the sessions store, 500 a transaction: thousands of createSession calls over HTTP would measure the server, not the pull. */
async function seed(count: number, content: Array<{ role: string; text: string }>): Promise<string[]> {
  const ids = await seedSessions(stack, count, (i) => ({
    submoduleId: 'bench-seed',
    input: { privacyLevel: 'TEAM', title: `Seeded session ${i}: fix the CI cache key`, tags: ['bench', `batch-${i % 10}`], content },
  }));
  // The search indexer takes the seeded sessions in first, so it does not compete with the pull.
  await stack.search.indexer.catchUp();
  return ids;
}

const send = (message: ServerMessage) => process.send?.(message);

process.on('message', (message: ClientMessage) => {
  if (message.type === 'seed') void seed(message.count, message.content).then((ids) => send({ type: 'seeded', ids }));
  if (message.type === 'stop') void stack.stop().then(() => process.exit(0));
});
process.on('disconnect', () => void stack.stop().then(() => process.exit(0)));
send({ type: 'ready', gatewayUrl: stack.gatewayUrl, writer: await stack.token('bench-writer'), reader: await stack.token('bench-reader') });
