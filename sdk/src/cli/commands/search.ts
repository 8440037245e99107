import type { Command } from 'commander';
import type { EntityKind } from '../../entities.js';
import { CliContext } from '../context.js';
import { table } from '../output.js';

export function registerSearch(program: Command): void {
  program
    .command('search <query>')
    .description('full-text search over sessions, patterns and checkpoints')
    .option('--limit <n>', 'most hits', '20')
    .option('--kind <kind...>', 'session, pattern or checkpoint')
    .option('--offline', 'search the cache only (FTS5)')
    .action(async (query: string, options: { limit: string; kind?: string[]; offline?: boolean }, command: Command) => {
      const ctx = CliContext.of(command);
      const client = ctx.client();
      try {
        const result = await client.search(query, {
          limit: Number(options.limit),
          ...(options.kind ? { kinds: options.kind as EntityKind[] } : {}),
          ...(options.offline ? { fetchPolicy: 'cache-only' as const } : {}),
        });
        ctx.out.result(result, () => {
          if (result.hits.length === 0) return 'No hits.';
          const rows = result.hits.map((h) => [h.kind, h.id, h.score.toFixed(2), h.snippet.replace(/\s+/g, ' ')]);
          return `${table(rows)}\n(${result.source === 'cache' ? `searched the cache${result.stale ? ': the gateway could not be reached' : ''}` : 'searched the gateway'})`;
        });
      } finally {
        await client.close();
      }
    });
}
