import type { Command } from 'commander';
import { checkCache, rebuildCache } from '../../cache/rebuild.js';
import { CliContext } from '../context.js';

export function registerCache(program: Command): void {
  const cache = program.command('cache').description('the local SQLite cache file');
  cache
    .command('check')
    .description('open the cache and run its integrity check')
    .action(async (_options: unknown, command: Command) => {
      const ctx = CliContext.of(command);
      const problem = checkCache(ctx.cachePath);
      if (problem) throw problem;
      ctx.out.result({ cachePath: ctx.cachePath, ok: true }, () => `${ctx.cachePath} is a healthy memory-context cache.`);
    });
  cache
    .command('rebuild')
    .description('export pending writes next to the cache, set the file aside, start a fresh cache and import them')
    .action(async (_options: unknown, command: Command) => {
      const ctx = CliContext.of(command);
      const result = rebuildCache({ cachePath: ctx.cachePath });
      ctx.out.result(result, () =>
        [
          `Fresh cache at ${result.cachePath}.`,
          result.movedTo ? `The old file is at ${result.movedTo}.` : 'There was no old file.',
          result.exportPath
            ? `Exported ${result.exported.writes} pending writes, ${result.exported.conflicts} conflicts, ${result.exported.rejected} rejected writes and ${result.exported.ephemeral} EPHEMERAL entities to ${result.exportPath}; imported ${result.imported.writes} writes. Run memctx sync to send them.`
            : 'Nothing pending could be read from the old file.',
          ...result.exported.errors.map((e) => `Could not read ${e}`),
        ].join('\n'),
      );
    });
}
