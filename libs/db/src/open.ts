import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { Database, Db } from './database.js';
import { startPgliteThread } from './pglite-thread/client.js';
import * as schema from './schema/index.js';

export interface OpenOptions {
  databaseUrl: string | undefined;
  dataDir: string;
  /** postgres.js pool size. */
  poolSize?: number;
  /** PGlite only: keep the database in memory (tests). */
  inMemory?: boolean;
  /**
   * PGlite only: run it on a thread of its own (pglite-thread/), so the
   * process's main thread and PGlite each take a core. The embedded stack's
   * `threads` layout sets it.
   */
  thread?: boolean;
}

/** Opens Postgres when a URL is given, otherwise PGlite (with pgvector) in the data directory. */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  return options.databaseUrl !== undefined ? openPostgres(options.databaseUrl, options.poolSize ?? 10) : openPglite(options);
}

async function openPglite(options: OpenOptions): Promise<Database> {
  const { drizzle } = await import('drizzle-orm/pglite');
  let dataDir: string | undefined;
  if (!options.inMemory) {
    dataDir = join(options.dataDir, 'pgdata');
    mkdirSync(dataDir, { recursive: true });
  }
  const client = options.thread ? await startPgliteThread({ dataDir }) : await createPglite(dataDir);
  // The thread's client answers what drizzle's driver calls (query, exec, transaction).
  const db = drizzle({ client: client as unknown as PGlite, schema }) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    async ping() {
      await client.query('select 1');
    },
    async listen(channel, onNotify) {
      const unsubscribe = await client.listen(channel, onNotify);
      return async () => unsubscribe();
    },
    withAdvisoryLock(_key, fn) {
      return fn(); // one PGlite client per data directory: nothing runs beside it
    },
    async hasVector() {
      return true;
    },
    async close() {
      if (!client.closed) await client.close();
    },
  };
}

async function createPglite(dataDir: string | undefined): Promise<PGlite> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { vector } = await import('@electric-sql/pglite-pgvector');
  return PGlite.create(dataDir, { extensions: { vector } });
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  // postgres.js is patched (patches/README.md): unpatched, a transaction whose connection drops
  // (a Postgres restart, a failover) writes its rollback to the closed socket, and the TypeError
  // thrown from that deferred write is uncaught and ends the process.
  const client = postgres(url, {
    max: poolSize,
    onnotice: () => {},
    connection: { application_name: 'memory-context' },
  });
  const db = drizzle({ client, schema }) as unknown as Db;
  return {
    kind: 'postgres',
    db,
    async ping() {
      await client`select 1`;
    },
    async listen(channel, onNotify) {
      const { unlisten } = await client.listen(channel, (payload) => onNotify(payload));
      return unlisten;
    },
    withAdvisoryLock<T>(key: number, fn: () => Promise<T>) {
      // A transaction-level lock rather than a reserved connection: if the backend dies, the lock
      // goes with it, and nothing (an unlock, a release) is sent to that connection afterwards.
      // The transaction idles while `fn` works on other connections: exempt it from the idle timeout.
      return client.begin(async (tx) => {
        await tx`set local idle_in_transaction_session_timeout = 0`;
        await tx`select pg_advisory_xact_lock(${key})`;
        return fn();
      }) as Promise<T>;
    },
    async hasVector() {
      const rows = await db.execute<{ available: boolean }>(sql`select exists(select 1 from pg_available_extensions where name = 'vector') as available`);
      return Boolean((rows as unknown as Array<{ available: boolean }>)[0]?.available);
    },
    async close() {
      await client.end({ timeout: 5 });
    },
  };
}
