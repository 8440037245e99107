import { Option, type Command } from 'commander';
import type { MemoryClient } from '../../client.js';
import { toSdkError, type SdkError } from '../../errors.js';
import type { PullProgress } from '../../puller.js';
import { CliContext } from '../context.js';
import { exitCodeFor } from '../exit-codes.js';
import { duration } from '../option-parsers.js';
import { forwardPendingAlerts } from '../pending-alert.js';

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
  // A push or (once sync() resolves offline) a pull that stopped short: reported, and the exit status says so.
  const stoppedBy = pushed.stoppedBy ?? ('stoppedBy' in pulled ? ((pulled.stoppedBy as SdkError | null | undefined) ?? null) : null);
  return { pushed: { ...pushed, stoppedBy: pushed.stoppedBy?.message ?? null }, pulled, status: client.status(), stoppedBy };
}

type Round = Awaited<ReturnType<typeof round>>;

function summary(r: Round): string {
  return (
    `pushed ${r.pushed.sent} (rejected ${r.pushed.rejected}, conflicts ${r.pushed.conflicts}, ${r.pushed.remaining} still queued); ` +
    `pulled ${r.pulled.upserted} updates and ${r.pulled.deleted} deletions in ${r.pulled.pages} page(s); evicted ${Object.values(r.pulled.evicted).reduce((a, b) => a + b, 0)}`
  );
}

/** Prints a round; one that stopped early (gateway gone, token refused) is a warning and sets the exit status. */
function report(ctx: CliContext, r: Round, prefix = ''): void {
  const { stoppedBy, ...data } = r;
  if (stoppedBy) {
    ctx.out.warn(stoppedBy.code, `sync stopped short, ${r.pushed.remaining} writes still queued: ${stoppedBy.message}`);
    process.exitCode = exitCodeFor(stoppedBy);
  }
  ctx.out.result(data, () => `${prefix}${summary(r)}`);
}

export function registerSync(program: Command): void {
  program
    .command('sync')
    .description('send queued writes, then pull the change feeds into the cache')
    .option('--watch', 'keep syncing every --interval until interrupted (the sync agent)')
    .addOption(new Option('--interval <duration>', 'time between rounds with --watch, such as 15m or 30s').argParser(duration).default(15 * 60_000, '15m'))
    .action(async (options: { watch?: boolean; interval: number }, command: Command) => {
      const ctx = CliContext.of(command);
      const client = ctx.client({ pushOnWrite: options.watch ?? false });
      forwardPendingAlerts(ctx.out, client);
      if (!options.watch) {
        try {
          report(ctx, await round(ctx, client));
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
            report(ctx, await round(ctx, client), `${new Date().toISOString()} `);
          } catch (err) {
            ctx.out.error(toSdkError(err));
          }
          if (stopping) break;
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, options.interval);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
        // The agent ran until it was told to stop: that is success, whatever the last round met.
        process.exitCode = 0;
      } finally {
        await client.close();
      }
    });
}
