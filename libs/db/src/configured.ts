import type { Config } from '@memory-context/config';
import type { Database } from './database.js';
import { migrateDatabase } from './migrate.js';
import { openDatabase } from './open.js';

/** Opens the database the configuration names and brings its schema up to date. */
export async function openConfiguredDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir' | 'databasePoolSize'>, options: { pgliteThread?: boolean } = {}): Promise<Database> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize, thread: options.pgliteThread === true });
  try {
    await migrateDatabase(database);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}
