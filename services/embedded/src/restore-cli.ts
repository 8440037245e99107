import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '@memory-context/config';
import { restoreSnapshot } from '@memory-context/db/snapshot';
import { openAdminDatabase } from './admin-database.js';
import { runAdminCommand, UsageError } from './admin-cli.js';

/**
 * `npm run restore -- FILE`: loads a snapshot into the configured database,
 * which must be empty (a new data directory or a new Postgres database).
 */
runAdminCommand(async () => {
  let file: string | undefined;
  try {
    file = parseArgs({ options: {}, allowPositionals: true }).positionals[0];
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nUsage: npm run restore -- FILE`);
  }
  if (!file) throw new UsageError('Usage: npm run restore -- FILE');
  const path = resolve(file);
  const admin = await openAdminDatabase(loadConfig());
  try {
    const header = await restoreSnapshot(admin.database, path);
    const rows = header.tables.reduce((sum, table) => sum + table.rows, 0);
    process.stdout.write(
      `Restored ${rows} rows of ${header.tables.length} tables into ${admin.description} from ${path} (taken ${header.createdAt} from ${header.source}); counts and checksums verified.\n` +
        'The search index is rebuilt from the change feeds when the stack starts (or now: npm run reindex).\n',
    );
  } finally {
    await admin.close();
  }
});
