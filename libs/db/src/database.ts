import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema/index.js';

export type Schema = typeof schema;
/** The drizzle handle, the same type over PGlite and postgres.js. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A handle inside a transaction (drizzle passes the same API). */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Db;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  /** LISTEN on a channel; returns a function that stops listening. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  /**
   * Runs `fn` while holding an advisory lock, so processes that start together
   * (several services, several replicas) take turns. On Postgres the lock lives
   * in a transaction of its own: if that connection drops, this rejects even
   * when `fn` finished, since the lock no longer excluded anyone.
   */
  withAdvisoryLock<T>(key: number, fn: () => Promise<T>): Promise<T>;
  /** True when the pgvector extension can be used. */
  hasVector(): Promise<boolean>;
  close(): Promise<void>;
}
