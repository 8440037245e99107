import type { Command } from 'commander';
import { checkCache, rebuildCache, type RebuildResult } from '../../cache/rebuild.js';
import { CliContext } from '../context.js';
import { EXIT } from '../exit-codes.js';

const LISTED = 10;

function entityList(entities: RebuildResult['unrecovered']['entities']): string {
  const listed = entities.slice(0, LISTED).map((e) => `${e.kind} ${e.entityId}`).join(', ');
  return entities.length > LISTED ? `${listed} and ${entities.length - LISTED} more; --json lists them all` : listed;
}

function lostWarning(result: RebuildResult): string | null {
  const { unrecovered } = result;
  if (unrecovered.writes === 0) return null;
  const how =
    unrecovered.writes === null
      ? `Queued writes may have been lost and how many cannot be known${unrecovered.atMost === null ? '' : ` (at most ${unrecovered.atMost})`}`
      : `${unrecovered.writes} queued writes could not be recovered${unrecovered.entities.length ? ` (${entityList(unrecovered.entities)})` : ''}`;
  return `${how}: ${unrecovered.reason ?? 'the old file is damaged'} The old file is kept at ${result.movedTo}; redo those changes if they are not on the server.`;
}

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
    .description(
      'export pending writes next to the cache, set the file aside, start a fresh cache and import them; ' +
        'says how many queued writes could not be recovered (exit 1 if any, or if that cannot be known). Never touches a file that is not a memory-context cache',
    )
    .action(async (_options: unknown, command: Command) => {
      const ctx = CliContext.of(command);
      const result = rebuildCache({ cachePath: ctx.cachePath });
      const lost = lostWarning(result);
      ctx.out.result(result, () =>
        [
          `Fresh cache at ${result.cachePath}.`,
          result.movedTo ? `The old file is at ${result.movedTo}.` : 'There was no old file.',
          result.exportPath
            ? `Exported ${result.exported.writes} pending writes, ${result.exported.conflicts} conflicts, ${result.exported.rejected} rejected writes and ${result.exported.ephemeral} EPHEMERAL entities to ${result.exportPath}; imported ${result.imported.writes} writes. Run memctx sync to send them.`
            : 'Nothing pending could be read from the old file.',
        ].join('\n'),
      );
      for (const e of result.exported.errors.filter((e) => !e.startsWith('outbox:') && e !== result.unrecovered.reason)) ctx.out.warn('CACHE_CORRUPT', `could not read ${e}`);
      if (lost) {
        ctx.out.warn('WRITES_UNRECOVERED', lost);
        process.exitCode = EXIT.failed;
      }
    });
}
