import type { Command } from 'commander';
import type { MemoryClient } from '../../client.js';
import { toSdkError } from '../../errors.js';
import type { PullProgress } from '../../pull-sync.js';
import { CliContext } from '../context.js';
import { parseDuration } from '../duration.js';

function describe(progress: PullProgress): string {
  const { session, pattern, checkpoint } = progress.received;
  return `pulling: page ${progress.pages}, ${session} session, ${pattern} pattern, ${checkpoint} checkpoint changes`;
}

async function round(ctx: CliContext, client: MemoryClient) {
  const { pushed, pulled } = await client.sync({
    onProgress: (p) => {
      if (p.pages > 1) ctx.out.progress(describe(p));
    },
  });
  if (pulled.pages > 1) ctx.out.endProgress();
  // sync() resolves when it stops short (gateway unreachable, token refused); the command still reports it as a failure.
  const stoppedBy = pushed.stoppedBy ?? pulled.stoppedBy;
  if (stoppedBy) throw stoppedBy;
  return { pushed: { ...pushed, stoppedBy: pushed.stoppedBy?.message ?? null }, pulled, status: client.status() };
}

export function registerSync(program: Command): void {
  program
    .command('sync')
    .description('send queued writes, then pull the change feeds into the cache')
    .option('--watch', 'keep syncing every --interval until interrupted (the sync agent)')
    .option('--interval <duration>', 'time between rounds with --watch, such as 15m or 30s', '15m')
    .action(async (options: { watch?: boolean; interval: string }, command: Command) => {
      const ctx = CliContext.of(command);
      const interval = parseDuration(options.interval);
      const client = ctx.client({ pushOnWrite: options.watch ?? false });
      const summary = (r: Awaited<ReturnType<typeof round>>) =>
        `pushed ${r.pushed.sent} (rejected ${r.pushed.rejected}, conflicts ${r.pushed.conflicts}, ${r.pushed.remaining} still queued); ` +
        `pulled ${r.pulled.upserted} updates and ${r.pulled.deleted} deletions in ${r.pulled.pages} page(s); evicted ${Object.values(r.pulled.evicted).reduce((a, b) => a + b, 0)}`;
      if (!options.watch) {
        try {
          const result = await round(ctx, client);
          ctx.out.result(result, () => summary(result));
        } finally {
          await client.close();
        }
        return;
      }
      let stopping = false;
      let wake: (() => void) | undefined;
      const stop = () => {
        stopping = true;
        wake?.();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      try {
        while (!stopping) {
          try {
            const result = await round(ctx, client);
            ctx.out.result(result, () => `${new Date().toISOString()} ${summary(result)}`);
          } catch (err) {
            ctx.out.error(toSdkError(err));
          }
          await new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(resolve, interval);
          });
        }
      } finally {
        await client.close();
      }
    });
}
