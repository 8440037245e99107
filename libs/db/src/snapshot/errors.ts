/** Stable codes: scripts and tests tell the refusals apart by these. */
export type SnapshotErrorCode =
  | 'SNAPSHOT_UNKNOWN_VERSION'
  | 'SNAPSHOT_CORRUPT'
  | 'SNAPSHOT_CHECKSUM_MISMATCH'
  | 'SNAPSHOT_SCHEMA_MISMATCH'
  | 'RESTORE_TARGET_NOT_EMPTY';

/** An export or restore refused; the message says why and what to do. Nothing was written. */
export class SnapshotError extends Error {
  constructor(
    readonly code: SnapshotErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${message}`, options);
    this.name = 'SnapshotError';
  }
}
