import { Command, CommanderError } from 'commander';
import { registerCache } from './commands/cache.js';
import { registerConflicts } from './commands/conflicts.js';
import { registerImport } from './commands/import.js';
import { registerLogin } from './commands/login.js';
import { registerMcp } from './commands/mcp.js';
import { registerOutbox } from './commands/outbox.js';
import { registerSearch } from './commands/search.js';
import { registerSessions } from './commands/sessions.js';
import { registerStatus } from './commands/status.js';
import { registerSync } from './commands/sync.js';
import { EXIT_CODES_HELP, exitCodeFor } from './exit-codes.js';
import { Output } from './output.js';
import { packageVersion } from './version.js';

/**
 * The memctx program; `run` parses argv and sets the exit code. Usage errors
 * are thrown (exitOverride) rather than exiting, so `run` maps them to exit 2;
 * with --json they are one JSON line on stderr like every other error.
 */
export function buildProgram(options: { json?: boolean } = {}): Command {
  const program = new Command('memctx')
    .description('memory-context from the command line: a local cache that works offline, synced with the gateway')
    .version(packageVersion(), '-V, --version', 'print the version of memctx (@memory-context/sdk)')
    .option('--url <url>', 'gateway GraphQL endpoint (default: MEMCTX_URL, then memctx login, then sync.api_url in cache.config.json)')
    .option('--token <token>', 'bearer token (default: MEMCTX_TOKEN, then memctx login)')
    .option('--cache <path>', 'cache file (default: MEMCTX_CACHE_PATH, then .coditect/MEMORY-CONTEXT/cache/<submodule>/memory-cache.db)')
    .option('--json', 'print JSON')
    .option('--reason <text>', 'why: kept in the audit trail of every request (default: MEMCTX_ACCESS_REASON)')
    .addHelpText('after', EXIT_CODES_HELP)
    .exitOverride();
  if (options.json) {
    program.configureOutput({ outputError: (text, write) => write(`${JSON.stringify({ error: { code: 'USAGE', message: text.trim().replace(/^error: /, '') } })}\n`) });
  } else {
    program.showHelpAfterError('(add --help for usage)');
  }
  registerLogin(program);
  registerStatus(program);
  registerSync(program);
  registerSessions(program);
  registerSearch(program);
  registerConflicts(program);
  registerCache(program);
  registerOutbox(program);
  registerImport(program);
  registerMcp(program);
  return program;
}

export async function run(argv: string[]): Promise<void> {
  const json = argv.includes('--json');
  try {
    await buildProgram({ json }).parseAsync(argv);
  } catch (err) {
    // Commander has already printed its own usage errors (and --help, --version).
    if (!(err instanceof CommanderError)) new Output(json).error(err);
    process.exitCode = exitCodeFor(err);
  }
}
