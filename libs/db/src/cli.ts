import { ConfigError, loadConfig } from '@memory-context/config';
import { openConfiguredDatabase } from './configured.js';

/**
 * `npm run migrate`: applies the SQL migrations to the configured database
 * (MEMCTX_DATABASE_URL, or PGlite in MEMCTX_DATA_DIR) and exits. Services also
 * migrate at start; this is the one-shot step for deployments (compose
 * `migrate` service, Kubernetes migration Job).
 */
function describe(config: { databaseUrl: string | undefined; dataDir: string }): string {
  if (!config.databaseUrl) return `PGlite in ${config.dataDir}`;
  try {
    const url = new URL(config.databaseUrl);
    return `Postgres ${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
  } catch {
    return 'Postgres (MEMCTX_DATABASE_URL)';
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  const target = describe(config);
  process.stdout.write(`Migrating ${target}\n`);
  const database = await openConfiguredDatabase(config);
  await database.close();
  process.stdout.write(`${target}: migrations applied\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
