import { resolve } from 'node:path';
import type { Command } from 'commander';
import { CliContext } from '../context.js';
import { table } from '../output.js';

export function registerOutbox(program: Command): void {
  const outbox = program.command('outbox').description('writes queued for the gateway');
  outbox
    .command('list')
    .description('the queued writes, oldest first')
    .action(async (_options: unknown, command: Command) => {
      const ctx = CliContext.of(command);
      const client = ctx.client();
      try {
        const { writes } = client.outbox.export();
        ctx.out.result(writes, () =>
          writes.length === 0 ? 'Nothing queued.' : table(writes.map((w) => [new Date(w.createdAt).toISOString(), w.write.kind, w.write.op, w.write.id, w.idempotencyKey])),
        );
      } finally {
        await client.close();
      }
    });
  outbox
    .command('export <file>')
    .description('write pending writes, conflicts, rejected writes and EPHEMERAL entities to a JSON file')
    .action(async (file: string, _options: unknown, command: Command) => {
      const ctx = CliContext.of(command);
      const client = ctx.client();
      try {
        const exported = client.outbox.export(resolve(file));
        ctx.out.result({ file: resolve(file), writes: exported.writes.length }, () => `Exported ${exported.writes.length} queued writes to ${resolve(file)}.`);
      } finally {
        await client.close();
      }
    });
  outbox
    .command('import <file>')
    .description('queue the writes of an export again (same idempotency keys: nothing is applied twice)')
    .action(async (file: string, _options: unknown, command: Command) => {
      const ctx = CliContext.of(command);
      const client = ctx.client();
      try {
        const imported = client.outbox.import(resolve(file));
        ctx.out.result(imported, () => `Queued ${imported.writes} writes (${imported.conflicts} conflicts, ${imported.rejected} rejected, ${imported.ephemeral} EPHEMERAL entities restored). Run memctx sync to send them.`);
      } finally {
        await client.close();
      }
    });
}
