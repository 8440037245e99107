import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '@memory-context/config';
import { exportSnapshot } from '@memory-context/db/snapshot';
import { openAdminDatabase } from './admin-database.js';
import { runAdminCommand, UsageError } from './admin-cli.js';
import { DataDirError, DataDirLockedError } from './data-dir-errors.js';

/**
 * `npm run export -- --out FILE`: a snapshot of every entity of the configured
 * database (docs/operations.md). On PGlite, the stack must not be running
 * (it holds the directory): use `npm run backup` then.
 */
runAdminCommand(async () => {
  let out: string | undefined;
  try {
    out = parseArgs({ options: { out: { type: 'string' } }, allowPositionals: false }).values.out;
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nUsage: npm run export -- --out FILE`);
  }
  if (!out) throw new UsageError('Usage: npm run export -- --out FILE');
  const path = resolve(out);
  const admin = await openAdminDatabase(loadConfig()).catch((error: unknown) => {
    if (error instanceof DataDirLockedError) throw new DataDirError(`${error.message}\nTo back up a running stack without stopping it: npm run backup`);
    throw error;
  });
  try {
    const header = await exportSnapshot(admin.database, path);
    const rows = header.tables.reduce((sum, table) => sum + table.rows, 0);
    process.stdout.write(`Exported ${rows} rows of ${header.tables.length} tables from ${admin.description} (schema ${header.migration}) to ${path}\n`);
  } finally {
    await admin.close();
  }
});
