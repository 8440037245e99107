import { ConfigError } from '@memory-context/config';
import { SnapshotError } from '@memory-context/db/snapshot';
import { DataDirError } from './data-dir-errors.js';

/** Usage mistakes: the message is the whole story. */
export class UsageError extends Error {}

/**
 * Runs an admin command: known refusals print their message alone (a
 * SnapshotError starts with its stable code); anything else with its stack.
 * Both exit non-zero.
 */
export function runAdminCommand(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    const known = error instanceof ConfigError || error instanceof DataDirError || error instanceof SnapshotError || error instanceof UsageError;
    process.stderr.write(`${known ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  });
}
