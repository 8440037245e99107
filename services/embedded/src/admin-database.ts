import type { Config } from '@memory-context/config';
import { openConfiguredDatabase, type Database } from '@memory-context/db';
import { lockDataDir } from './data-dir-lock.js';

export interface AdminDatabase {
  readonly database: Database;
  readonly description: string;
  close(): Promise<void>;
}

/**
 * The configured database for a one-shot admin command (export, restore,
 * backup). PGlite is opened only under the data directory lock: a second
 * PGlite on a directory a running stack holds would destroy it, so that
 * case fails with DataDirLockedError instead.
 */
export async function openAdminDatabase(config: Config): Promise<AdminDatabase> {
  if (config.databaseUrl !== undefined) {
    const database = await openConfiguredDatabase(config);
    return { database, description: describePostgres(config.databaseUrl), close: () => database.close() };
  }
  const lock = lockDataDir(config.dataDir);
  let database: Database;
  try {
    database = await openConfiguredDatabase(config);
  } catch (error) {
    lock.release();
    throw error;
  }
  return {
    database,
    description: `PGlite in ${config.dataDir}`,
    async close() {
      try {
        await database.db.execute('checkpoint'); // the next start replays no WAL
        await database.close();
      } finally {
        lock.release();
      }
    },
  };
}

function describePostgres(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `Postgres ${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
  } catch {
    return 'Postgres (MEMCTX_DATABASE_URL)';
  }
}
