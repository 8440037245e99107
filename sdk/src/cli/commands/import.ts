import type { Command } from 'commander';
import { SdkError } from '../../errors.js';
import type { PrivacyLevel } from '../../generated/graphql.js';
import { formatReport } from '../../import/report.js';
import { importMemoryContext } from '../../import/runner.js';
import { CliContext } from '../context.js';

const LEVELS = ['PUBLIC', 'TEAM', 'PRIVATE'] as const;

function level(value: string): PrivacyLevel {
  const upper = value.toUpperCase();
  if (!(LEVELS as readonly string[]).includes(upper)) throw new SdkError('BAD_USER_INPUT', `--privacy must be one of ${LEVELS.join(', ')}, got ${value}.`);
  return upper as PrivacyLevel;
}

/** Progress lines on stderr at most this often (besides the first item, failures and the last). */
const PROGRESS_EVERY_MS = 100;

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('bring an existing MEMORY-CONTEXT folder (memory-context.db, sessions/, checkpoints/, exports/) into memory-context; see docs/import.md')
    .argument('<dir>', 'the MEMORY-CONTEXT folder')
    .option('--submodule <id>', "the submodule the items belong to (default: the token's; another one needs memory:admin)")
    .option('--privacy <level>', 'level of items whose source names none: PUBLIC, TEAM or PRIVATE', 'TEAM')
    .option('--dry-run', 'read and check everything, write nothing')
    .action(async (dir: string, options: { submodule?: string; privacy: string; dryRun?: boolean }, command: Command) => {
      const ctx = CliContext.of(command);
      const privacy = level(options.privacy);
      // A line per item is 10,000 lines (and a second of the run) for a large folder: the first item, each
      // failure, the last, and otherwise at most one line every PROGRESS_EVERY_MS.
      let shownAt = 0;
      const report = await importMemoryContext(dir, {
        clientOptions: ctx.options(),
        privacy,
        dryRun: options.dryRun ?? false,
        ...(options.submodule ? { submoduleId: options.submodule } : {}),
        onProgress: (p) => {
          const now = Date.now();
          if (p.done > 1 && p.done < p.total && p.outcome !== 'failed' && now - shownAt < PROGRESS_EVERY_MS) return;
          shownAt = now;
          ctx.out.progress(`import: ${p.done}/${p.total} ${p.item.item.kind} ${p.item.item.source}: ${p.outcome}`);
        },
      });
      ctx.out.endProgress();
      ctx.out.result(report, () => formatReport(report));
      // 1 (operation failed): the run completed and some items were not imported (listed in the report).
      if (report.failures.length > 0) process.exitCode = 1;
    });
}
