import { Argument, type Command } from 'commander';
import type { Resolution } from '../../conflicts.js';
import { CliContext } from '../context.js';
import { table } from '../output.js';

export function registerConflicts(program: Command): void {
  const conflicts = program
    .command('conflicts')
    .description('local changes the server refused with CONFLICT (the cache holds the server copy)')
    .action(async (_options: unknown, command: Command) => {
      const ctx = CliContext.of(command);
      const client = ctx.client();
      try {
        const list = client.conflicts.list();
        ctx.out.result(
          list,
          () => table(list.map((c) => [c.id, c.kind, c.entityId, `base v${c.baseVersion ?? '-'} / server v${c.serverVersion ?? 'gone'}`, c.localWrites.map((w) => w.op).join(',')])),
          'No conflicts.',
        );
        if (list.length > 0) ctx.out.note('Resolve with: memctx conflicts resolve <id> reapply|discard');
      } finally {
        await client.close();
      }
    });
  conflicts
    .command('resolve')
    .description('reapply the local change on top of the server copy, or discard it')
    .argument('<id>', 'the conflict, from memctx conflicts')
    .addArgument(new Argument('<resolution>', 'what to do with the local change').choices(['reapply', 'discard'] satisfies Resolution[]))
    .action(async (id: string, resolution: Resolution, _options: unknown, command: Command) => {
      const ctx = CliContext.of(command);
      const client = ctx.client();
      try {
        const record = await client.conflicts.resolve(id, resolution);
        const pushed = resolution === 'reapply' ? await client.flush() : null;
        ctx.out.result({ resolved: record, resolution, pushed }, () => `${resolution === 'reapply' ? 'Reapplied' : 'Discarded'} the local change to ${record.kind} ${record.entityId}.`);
      } finally {
        await client.close();
      }
    });
}
