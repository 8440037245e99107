import { performance } from 'node:perf_hooks';
import type { Stack } from '@memory-context/embedded';

/**
 * Waits until the stack's background work triggered by the seeding (feed
 * followers such as the search indexer) is done, so it does not run inside
 * the read scenarios: catches the indexer up when the stack has one, then
 * waits for the server thread to idle (below 5% busy over two 500 ms windows).
 */
export async function settle(stack: Stack): Promise<number> {
  const started = Date.now();
  const members = Object.values(stack as unknown as Record<string, unknown>);
  for (const member of members) {
    const indexer = (member as { indexer?: { catchUp?: () => Promise<unknown> } } | null)?.indexer;
    if (typeof indexer?.catchUp === 'function') await indexer.catchUp();
  }
  let quiet = 0;
  while (quiet < 2 && Date.now() - started < 120_000) {
    const elu = performance.eventLoopUtilization();
    await new Promise((r) => setTimeout(r, 500));
    quiet = performance.eventLoopUtilization(elu).utilization < 0.05 ? quiet + 1 : 0;
  }
  return (Date.now() - started) / 1000;
}
