import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '@memory-context/config';
import { DataDirDamagedError, DataDirLockedError, LOCK_FILE } from './data-dir-errors.js';
import { openDataDir } from './data-dir.js';

const configFor = (dataDir: string) => loadConfig({ MEMCTX_DATA_DIR: dataDir, MEMCTX_JWT_SECRET: 'unit-secret-0123456789-abcdefghijklmnopqrstuvwxyz', MEMCTX_LOG_LEVEL: 'silent' });

describe('openDataDir', () => {
  it('holds the lock while open, and checkpoints and lets go on close', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'memctx-datadir-'));
    const open = await openDataDir(configFor(dataDir));
    await expect(openDataDir(configFor(dataDir))).rejects.toThrow(DataDirLockedError);
    await open.deps.database.db.execute('create table kept (x text)');
    await open.deps.database.db.execute("insert into kept values ('written')");
    await open.close();
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
    const again = await openDataDir(configFor(dataDir));
    const rows = (await again.deps.database.db.execute('select x from kept')) as unknown as { rows: Array<{ x: string }> };
    expect(rows.rows).toEqual([{ x: 'written' }]);
    await again.close();
  });

  it('says how to restore when PGlite cannot open a damaged directory, and deletes nothing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'memctx-datadir-'));
    const pg = await PGlite.create(join(dataDir, 'pgdata'));
    await pg.close();
    const control = join(dataDir, 'pgdata', 'global', 'pg_control');
    const damaged = readFileSync(control).fill(7, 0, 64);
    writeFileSync(control, damaged);
    const error = await openDataDir(configFor(dataDir)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataDirDamagedError);
    expect((error as Error).message).toMatch(/restore the latest copy of the data directory.*docs\/operations\.md/);
    expect(readFileSync(control)).toEqual(damaged);
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
  });
});
