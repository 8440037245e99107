import { randomBytes } from 'node:crypto';
import type { Database } from './database.js';
import { migrateDatabase } from './migrate.js';
import { openDatabase } from './open.js';

export interface TestDatabase {
  database: Database;
  /** The URL of the per-test Postgres database, when running on Postgres. */
  url: string | undefined;
  close(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default,
 * or a new database on the server named by MEMCTX_DATABASE_URL (dropped after).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.MEMCTX_DATABASE_URL;
  if (!serverUrl) {
    const database = await openDatabase({ databaseUrl: undefined, dataDir: '', inMemory: true });
    await migrateDatabase(database);
    return { database, url: undefined, close: () => database.close() };
  }
  const { default: postgres } = await import('postgres');
  const name = `memctx_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), dataDir: '', poolSize: 5 });
  await migrateDatabase(database);
  return {
    database,
    url: url.toString(),
    async close() {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}

/**
 * A feed change shows once every older write transaction of the database has
 * ended (and on a shared server, an id it cannot place in another database
 * counts as ours): under parallel load a page may come a moment later. Reads
 * until `done` holds or 10 s pass, then returns the last value read (for the
 * assertion to show).
 */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
