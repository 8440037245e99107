import { hostname } from 'node:os';
import { loadConfig } from '@memory-context/config';
import { takeBackup } from '@memory-context/db/snapshot';
import { openAdminDatabase } from './admin-database.js';
import { runAdminCommand } from './admin-cli.js';
import { requestBackup } from './backup-request.js';
import { DataDirLockedError } from './data-dir-errors.js';

const REQUEST_TIMEOUT_MS = 30 * 60_000;

/**
 * `npm run backup`: one backup into MEMCTX_BACKUP_DIR now. Postgres, or a
 * PGlite directory no process holds: this process exports. A PGlite directory
 * a running stack holds: the stack is asked (SIGUSR2) and does it, since only
 * the holder may open PGlite.
 */
runAdminCommand(async () => {
  const config = loadConfig();
  let admin;
  try {
    admin = await openAdminDatabase(config);
  } catch (error) {
    if (!(error instanceof DataDirLockedError) || error.holder.pid <= 0 || error.holder.host !== hostname()) throw error;
    process.stderr.write(`The stack (process ${error.holder.pid}) holds ${config.dataDir}: asking it for the backup\n`);
    const file = await requestBackup(config.backupDir, error.holder.pid, REQUEST_TIMEOUT_MS);
    process.stdout.write(`Backup written to ${file}\n`);
    return;
  }
  try {
    const file = await takeBackup(admin.database, config.backupDir, config.backupKeep);
    process.stdout.write(`Backup of ${admin.description} written to ${file}\n`);
  } finally {
    await admin.close();
  }
});
