import { loadConfig, sandboxEnabled, startupErrorMessage, type Config } from '@memory-context/config';
import { DataDirError } from './data-dir-errors.js';
import { listenForBackupRequests } from './backup-request.js';
import { startStack, type StackLayout } from './stack.js';

/** The banner's words for each layout (on Postgres there is no PGlite thread). */
const LAYOUTS: Record<StackLayout, (postgres: boolean) => string> = {
  threads: (postgres) => (postgres ? 'gateway in a worker thread' : 'gateway and PGlite each in a worker thread'),
  'gateway-thread': () => 'gateway in a worker thread',
  single: () => 'one thread',
};

/** Kept for the error handler, which names the variable behind a busy port. */
let config: Config | undefined;

/** `npm start`: the whole stack in one process, on the embedded database by default. */
async function main(): Promise<void> {
  process.env.APOLLO_TELEMETRY_DISABLED ??= '1';
  config = loadConfig();
  const stack = await startStack({ config, sandboxToken: config.env !== 'production', layout: config.embeddedLayout });
  const devToken = await stack.token('dev');
  const database = config.databaseUrl ? 'Postgres (MEMCTX_DATABASE_URL)' : `PGlite in ${config.dataDir}`;
  const explorer = sandboxEnabled(config) ? [`  Local explorer (offline): ${new URL('/explorer', stack.gatewayUrl).toString()}`] : [];
  // stdout carries the JSON logs; the banner is for the person at the
  // terminal, so it goes to stderr in one write and no log line splits it.
  process.stderr.write(
    [
      '',
      'memory-context is running',
      `  GraphQL + Apollo Sandbox: ${stack.gatewayUrl}`,
      ...explorer,
      `  Subgraphs:                sessions ${stack.subgraphUrls.sessions}`,
      `                            patterns ${stack.subgraphUrls.patterns}`,
      `                            checkpoints ${stack.subgraphUrls.checkpoints}`,
      `                            search ${stack.subgraphUrls.search}`,
      `  Database:                 ${database}`,
      `  Layout:                   ${LAYOUTS[stack.layout](config.databaseUrl !== undefined)} (MEMCTX_EMBEDDED_LAYOUT=${stack.layout})`,
      '',
      'Dev token (submodule "dev", scopes memory:read memory:write, valid 24h; pre-filled in Sandbox and the explorer):',
      devToken,
      '',
      'Another submodule: npm run token -- --submodule <id> --scope "memory:read memory:write"',
      '',
    ].join('\n'),
  );
  // `npm run backup` beside this process asks it for the backup (it holds the PGlite directory).
  const stopListening = stack.backup ? listenForBackupRequests(stack.backup, config.backupDir) : () => {};
  // The handlers stay: Ctrl-C signals npm, tsx and this process alike, and tsx
  // relays it too, so a second signal arrives mid-stop and must not kill the
  // process before PGlite is checkpointed and the data-directory lock released.
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      stopListening();
      void stack.stop().then(() => process.exit(0));
    });
  }
}

main().catch((error: unknown) => {
  const message = error instanceof DataDirError ? error.message : startupErrorMessage(error, config);
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
