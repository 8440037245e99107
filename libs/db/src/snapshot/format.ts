import { SnapshotError } from './errors.js';

/**
 * The file: gzip of newline-separated JSON. Line 1 is the header; then, for
 * each table in header order, a section line `{"table": name}` followed by
 * exactly `rows` row lines (canonical row text, hashed as written).
 */
export const SNAPSHOT_FORMAT = 'memory-context-snapshot';
export const SNAPSHOT_VERSION = 1;

export interface SnapshotHeader {
  format: typeof SNAPSHOT_FORMAT;
  version: number;
  /** The last schema migration applied to the source (drizzle journal tag). */
  migration: string;
  createdAt: string;
  /** Where it was taken from: pglite or postgres. */
  source: string;
  tables: Array<{ name: string; rows: number; sha256: string }>;
}

export function parseHeader(line: string | undefined): SnapshotHeader {
  let header: Partial<SnapshotHeader>;
  try {
    header = JSON.parse(line ?? '') as Partial<SnapshotHeader>;
  } catch (error) {
    throw new SnapshotError('SNAPSHOT_CORRUPT', 'the first line is not a snapshot header: this is not a memory-context export.', { cause: error });
  }
  if (header?.format !== SNAPSHOT_FORMAT) throw new SnapshotError('SNAPSHOT_CORRUPT', 'the first line is not a snapshot header: this is not a memory-context export.');
  if (header.version !== SNAPSHOT_VERSION) {
    throw new SnapshotError(
      'SNAPSHOT_UNKNOWN_VERSION',
      `snapshot format version ${String(header.version)} is not one this release reads (it reads version ${SNAPSHOT_VERSION}); restore it with the release that wrote it.`,
    );
  }
  if (typeof header.migration !== 'string' || !Array.isArray(header.tables)) throw new SnapshotError('SNAPSHOT_CORRUPT', 'the snapshot header is incomplete.');
  return header as SnapshotHeader;
}
