export { exportSnapshot } from './writer.js';
export { restoreSnapshot } from './reader.js';
export { SnapshotError, type SnapshotErrorCode } from './errors.js';
export { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type SnapshotHeader } from './format.js';
export { SNAPSHOT_TABLES } from './tables.js';
export { backupFileName, listBackups, takeBackup } from './backups.js';
