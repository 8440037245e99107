import { ConfigError, loadConfig } from '@memory-context/config';
import { DataDirError } from './data-dir-errors.js';
import { startStack } from './stack.js';

/** `npm start`: the whole stack in one process, on the embedded database by default. */
async function main(): Promise<void> {
  process.env.APOLLO_TELEMETRY_DISABLED ??= '1';
  const config = loadConfig();
  const stack = await startStack({ config, sandboxToken: config.env !== 'production' });
  const devToken = await stack.token('dev');
  const database = config.databaseUrl ? 'Postgres (MEMCTX_DATABASE_URL)' : `PGlite in ${config.dataDir}`;
  process.stdout.write(
    [
      '',
      'memory-context is running',
      `  GraphQL + Apollo Sandbox: ${stack.gatewayUrl}`,
      `  Subgraphs:                sessions ${stack.subgraphUrls.sessions}`,
      `                            patterns ${stack.subgraphUrls.patterns}`,
      `                            checkpoints ${stack.subgraphUrls.checkpoints}`,
      `                            search ${stack.subgraphUrls.search}`,
      `  Database:                 ${database}`,
      '',
      'Dev token (submodule "dev", scopes memory:read memory:write, valid 24h; pre-filled in Sandbox):',
      devToken,
      '',
      'Another submodule: npm run token -- --submodule <id> --scope "memory:read memory:write"',
      '',
    ].join('\n'),
  );
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      if (stopping) return;
      stopping = true;
      void stack.stop().then(() => process.exit(0));
    });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError || error instanceof DataDirError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
