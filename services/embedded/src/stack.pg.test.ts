import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from '@jest/globals';
import { loadConfig } from '@memory-context/config';
import { createTestDatabase } from '@memory-context/db/testing';
import { LOCK_FILE } from './data-dir-errors.js';
import { startStack } from './stack.js';

/** Postgres handles concurrent processes itself: the data directory lock is for PGlite alone. */
(!process.env.MEMCTX_DATABASE_URL ? it.skip : it)('takes no lock with MEMCTX_DATABASE_URL: two stacks share one data directory', async () => {
  const testDatabase = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'memctx-pg-nolock-'));
  const config = () =>
    loadConfig({
      MEMCTX_DATA_DIR: dataDir,
      MEMCTX_DATABASE_URL: testDatabase.url ?? '',
      MEMCTX_JWT_SECRET: 'pg-nolock-secret-0123456789-abcdefghijklmnopqrstuvwxyz',
      MEMCTX_LOG_LEVEL: 'silent',
    });
  const first = await startStack({ config: config(), ephemeralPorts: true });
  try {
    const second = await startStack({ config: config(), ephemeralPorts: true });
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
    await second.stop();
  } finally {
    await first.stop();
    await testDatabase.close();
  }
});
