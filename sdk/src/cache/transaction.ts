import type { Database } from 'better-sqlite3';

/**
 * The cache's one way to run statements together: a single SQLite
 * transaction (BEGIN IMMEDIATE, so a second writer waits for the lock instead
 * of failing half way). A nested call is a savepoint of the outer one.
 */
export function transaction<T>(db: Database, fn: () => T): T {
  return db.transaction(fn).immediate();
}
