import { Option, type Command } from 'commander';
import { ENTITY_KINDS, type EntityKind } from '../../entities.js';
import { CliContext } from '../context.js';
import { positiveInt } from '../option-parsers.js';
import { table } from '../output.js';

export function registerSearch(program: Command): void {
  program
    .command('search <query>')
    .description('full-text search over sessions, patterns and checkpoints')
    .option('--limit <n>', 'most hits', positiveInt, 20)
    .addOption(new Option('--kind <kind...>', 'only these kinds').choices(ENTITY_KINDS))
    .option('--offline', 'search the cache only (FTS5)')
    .action(async (query: string, options: { limit: number; kind?: EntityKind[]; offline?: boolean }, command: Command) => {
      const ctx = CliContext.of(command);
      const client = ctx.client();
      try {
        const result = await client.search(query, {
          limit: options.limit,
          ...(options.kind ? { kinds: options.kind } : {}),
          ...(options.offline ? { fetchPolicy: 'cache-only' as const } : {}),
        });
        ctx.out.note(`(${result.source === 'cache' ? `searched the cache${result.stale ? ': the gateway could not be reached' : ''}` : 'searched the gateway'})`);
        ctx.out.result(result, () => table(result.hits.map((h) => [h.kind, h.id, h.score.toFixed(2), h.snippet.replace(/\s+/g, ' ')])), 'No hits.');
      } finally {
        await client.close();
      }
    });
}
