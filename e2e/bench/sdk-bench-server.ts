/**
 * The embedded stack for sdk-bench.ts, in its own process as `npm start` runs
 * it, so the client's figures are not the server's and the two use both cores.
 * Speaks over the fork IPC channel: `ready` → `seed` / `seeded` → `stop`.
 */
import { v7 as uuidv7 } from 'uuid';
import { sessionChanges, sessions } from '@memory-context/db';

process.env.APOLLO_TELEMETRY_DISABLED = '1';
process.env.MEMCTX_LOG_LEVEL = 'silent';

export type ServerMessage = { type: 'ready'; gatewayUrl: string; writer: string; reader: string } | { type: 'seeded'; ids: string[] };
export type ClientMessage = { type: 'seed'; count: number; content: Array<{ role: string; text: string }> } | { type: 'stop' };

const { startTestStack } = await import('../src/harness.js');
const stack = await startTestStack();

/** Seeds straight into the tables (with their change-feed rows): thousands of createSession calls would measure the server, not the pull. */
async function seed(count: number, content: Array<{ role: string; text: string }>): Promise<string[]> {
  const { db } = stack.deps.database;
  const ids: string[] = [];
  for (let start = 0; start < count; start += 500) {
    const batch = Array.from({ length: Math.min(500, count - start) }, (_, k) => {
      const id = uuidv7();
      ids.push(id);
      return {
        id,
        submoduleId: 'bench-seed',
        privacyLevel: 'TEAM' as const,
        title: `Seeded session ${start + k}: fix the CI cache key`,
        tags: ['bench', `batch-${(start + k) % 10}`],
        content,
        contentBytes: Buffer.byteLength(JSON.stringify(content)),
      };
    });
    await db.transaction(async (tx) => {
      await tx.insert(sessions).values(batch);
      await tx.insert(sessionChanges).values(batch.map((s) => ({ entityId: s.id, submoduleId: s.submoduleId, privacyLevel: s.privacyLevel, op: 'UPSERT' as const, version: 1 })));
    });
  }
  // The search indexer takes the seeded sessions in first, so it does not compete with the pull.
  const search = (stack as unknown as { search?: { indexer?: { catchUp(): Promise<unknown> } } }).search;
  await search?.indexer?.catchUp();
  return ids;
}

const send = (message: ServerMessage) => process.send?.(message);

process.on('message', (message: ClientMessage) => {
  if (message.type === 'seed') void seed(message.count, message.content).then((ids) => send({ type: 'seeded', ids }));
  if (message.type === 'stop') void stack.stop().then(() => process.exit(0));
});
process.on('disconnect', () => void stack.stop().then(() => process.exit(0)));
send({ type: 'ready', gatewayUrl: stack.gatewayUrl, writer: await stack.token('bench-writer'), reader: await stack.token('bench-reader') });
