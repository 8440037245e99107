import { Command } from 'commander';
import { registerCache } from './commands/cache.js';
import { registerConflicts } from './commands/conflicts.js';
import { registerImport } from './commands/import.js';
import { registerLogin } from './commands/login.js';
import { registerOutbox } from './commands/outbox.js';
import { registerSearch } from './commands/search.js';
import { registerSessions } from './commands/sessions.js';
import { registerStatus } from './commands/status.js';
import { registerSync } from './commands/sync.js';
import { Output } from './output.js';

/** The memctx program; `run` parses argv and sets the exit code. */
export function buildProgram(): Command {
  const program = new Command('memctx')
    .description('memory-context from the command line: a local cache that works offline, synced with the gateway')
    .option('--url <url>', 'gateway GraphQL endpoint (default: MEMCTX_URL, then memctx login)')
    .option('--token <token>', 'bearer token (default: MEMCTX_TOKEN, then memctx login)')
    .option('--cache <path>', 'cache file (default: MEMCTX_CACHE_PATH, then .coditect/MEMORY-CONTEXT/cache/memory-cache.db)')
    .option('--json', 'print JSON')
    .showHelpAfterError();
  registerLogin(program);
  registerStatus(program);
  registerSync(program);
  registerSessions(program);
  registerSearch(program);
  registerConflicts(program);
  registerCache(program);
  registerOutbox(program);
  registerImport(program);
  return program;
}

export async function run(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    const json = argv.includes('--json');
    new Output(json).error(err);
    process.exitCode = 1;
  }
}

