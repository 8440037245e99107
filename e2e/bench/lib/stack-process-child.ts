/**
 * The embedded stack in its own process, for stack-process.ts: the stack as
 * `npm start` runs it (PGlite in a temporary data directory, or a fresh
 * database on MEMCTX_DATABASE_URL's server), in the layout named by
 * MEMCTX_EMBEDDED_LAYOUT, answering requests over the fork IPC channel.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { StackLayout } from '@memory-context/embedded';
import type { StackReply, StackRequest } from './stack-process.js';

const { startBenchStack } = await import('./stack.js');
const { seedSessions } = await import('./seed.js');
const { sessions } = await import('@memory-context/db');

const layout = (process.env.MEMCTX_EMBEDDED_LAYOUT ?? 'threads') as StackLayout;
const bench = await startBenchStack({ storage: 'data-dir', layout });
const { stack } = bench;

const contentBytes = (content: Array<{ role: string; text: string }>) => Buffer.byteLength(JSON.stringify(content));

async function answer(request: StackRequest): Promise<unknown> {
  switch (request.type) {
    case 'token':
      return stack.token(request.submoduleId);
    case 'seed': {
      const started = performance.now();
      const ids = await seedSessions(stack, request.count, (i) => {
        const one = request.sessions[i % request.sessions.length]!;
        return { submoduleId: one.submoduleId, input: { ...one, title: `${one.title} (${i})`, content: one.content.map((m) => ({ ...m })) } };
      });
      // The indexer takes the seeded sessions in first, so it does not compete with what is measured next.
      await stack.search.indexer.catchUp();
      return { ids, seconds: (performance.now() - started) / 1000 };
    }
    case 'bulk': {
      // The floor of a write: the same rows in one INSERT, without change, idempotency and audit rows.
      const rows = Array.from({ length: request.count }, (_, i) => ({
        id: randomUUID(),
        submoduleId: request.submoduleId,
        privacyLevel: 'TEAM' as const,
        title: `${request.title} (${i})`,
        tags: request.tags,
        content: request.content.map((m) => ({ ...m, at: new Date().toISOString() })),
        contentBytes: contentBytes(request.content),
      }));
      const started = performance.now();
      await stack.deps.database.db.insert(sessions).values(rows);
      return { ms: performance.now() - started };
    }
    case 'stop':
      await bench.stop();
      process.exit(0);
  }
}

process.on('message', (request: StackRequest) => {
  void answer(request).then(
    (result) => process.send?.({ id: request.id, result } satisfies StackReply),
    (error: unknown) => process.send?.({ id: request.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies StackReply),
  );
});
process.on('disconnect', () => void bench.stop().then(() => process.exit(0)));
process.send?.({ id: 0, result: { gatewayUrl: stack.gatewayUrl, database: bench.database, databaseVersion: bench.databaseVersion, layout: stack.layout } } satisfies StackReply);
