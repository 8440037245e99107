import type { Command } from 'commander';
import { SdkError } from '../../errors.js';
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
        ctx.out.result(list, () =>
          list.length === 0
            ? 'No conflicts.'
            : `${table(list.map((c) => [c.id, c.kind, c.entityId, `base v${c.baseVersion ?? '-'} / server v${c.serverVersion ?? 'gone'}`, c.localWrites.map((w) => w.op).join(',')]))}\n` +
              'Resolve with: memctx conflicts resolve <id> reapply|discard',
        );
      } finally {
        await client.close();
      }
    });
  conflicts
    .command('resolve <id> <resolution>')
    .description('reapply the local change on top of the server copy, or discard it')
    .action(async (id: string, resolution: string, _options: unknown, command: Command) => {
      if (resolution !== 'reapply' && resolution !== 'discard') throw new SdkError('BAD_USER_INPUT', `resolution must be reapply or discard, got ${resolution}.`);
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
