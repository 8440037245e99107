import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import type { Stack, StackLayout } from '@memory-context/embedded';
import type { TestDatabase } from '@memory-context/db/testing';

// Before the stack's modules load (they are imported lazily below).
process.env.APOLLO_TELEMETRY_DISABLED = '1';
process.env.MEMCTX_LOG_LEVEL = 'silent';

/** The JWT secret of the bench stacks: a gateway started apart must share it. */
export const BENCH_SECRET = 'bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz';

/** Tuning variables passed through to the stack's config. */
const PASSED = ['MEMCTX_INDEXER_BATCH_SIZE', 'MEMCTX_INDEXER_POLL_MS', 'MEMCTX_VECTOR_STORE', 'MEMCTX_QDRANT_URL', 'MEMCTX_QDRANT_API_KEY', 'MEMCTX_EMBEDDINGS', 'MEMCTX_DATABASE_POOL_SIZE'];

export interface BenchStack {
  stack: Stack;
  database: 'pglite' | 'postgres';
  /** `version()` up to its first comma. */
  databaseVersion: string;
  stop(): Promise<void>;
}

/**
 * The real embedded stack on free loopback ports, rate limits off (the
 * benches measure capacity, not the per-token policy): over a fresh database
 * on MEMCTX_DATABASE_URL's server when set (dropped after), else PGlite in
 * memory, or in a temporary data directory (`storage: 'data-dir'`, the
 * `npm start` default). `layout` puts the gateway on this thread (`single`,
 * the default) or in a worker thread (`threads`, the `npm start` default).
 */
export async function startBenchStack(options: { storage?: 'memory' | 'data-dir'; layout?: StackLayout } = {}): Promise<BenchStack> {
  const { loadConfig } = await import('@memory-context/config');
  const { startStack } = await import('@memory-context/embedded');
  const { createTestDatabase } = await import('@memory-context/db/testing');
  const { rawRows } = await import('@memory-context/db');
  const { sql } = await import('drizzle-orm');

  const dataDir = mkdtempSync(join(os.tmpdir(), 'memctx-bench-'));
  const env: Record<string, string> = { MEMCTX_DATA_DIR: dataDir, MEMCTX_JWT_SECRET: BENCH_SECRET, MEMCTX_LOG_LEVEL: 'silent', MEMCTX_RATE_LIMIT_ENABLED: 'false' };
  for (const name of PASSED) if (process.env[name]) env[name] = process.env[name];
  let testDatabase: TestDatabase | undefined;
  if (process.env.MEMCTX_DATABASE_URL) {
    // A fresh, migrated database; the stack opens its own pool of the configured size on it.
    testDatabase = await createTestDatabase();
    env.MEMCTX_DATABASE_URL = testDatabase.url!;
  } else if (options.storage !== 'data-dir') {
    testDatabase = await createTestDatabase();
  }
  const inMemory = testDatabase !== undefined && !process.env.MEMCTX_DATABASE_URL;
  const stack = await startStack({ config: loadConfig(env), ephemeralPorts: true, layout: options.layout ?? 'single', ...(inMemory ? { database: testDatabase!.database } : {}) });
  const rows = await rawRows<{ v: string }>(stack.deps.database.db, sql`select version() as v`);
  return {
    stack,
    database: stack.deps.database.kind,
    databaseVersion: rows[0]?.v.split(',')[0] ?? 'unknown',
    async stop() {
      await stack.stop();
      await testDatabase?.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A non-admin token of each submodule. */
export async function tokensOf<const S extends string>(stack: Stack, submodules: readonly S[]): Promise<Record<S, string>> {
  return Object.fromEntries(await Promise.all(submodules.map(async (s) => [s, await stack.token(s)] as const))) as Record<S, string>;
}
