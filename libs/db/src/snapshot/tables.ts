/**
 * What a snapshot holds, in restore order (a table after the tables it
 * references). Everything not listed is derived and rebuilt after a restore:
 * search documents and vectors (the search indexer replays the change feeds,
 * or `npm run reindex`).
 */
export interface SnapshotTable {
  /** `schema.table`, as in the file. */
  name: string;
  /** Primary-key columns: rows are written and hashed in this order. */
  orderBy: string[];
  /** A bigserial column whose sequence must continue after the restored rows. */
  serial?: string;
  /** Rows left out (SQL condition). */
  where?: string;
}

export const SNAPSHOT_TABLES: readonly SnapshotTable[] = [
  { name: 'registry.submodules', orderBy: ['id'] },
  // The search indexer's cursors stay out: from zero it replays the feeds and rebuilds the index.
  { name: 'registry.feed_cursors', orderBy: ['consumer', 'feed'], where: `consumer <> 'search'` },
  ...entityTables('sessions', 'sessions', []),
  ...entityTables('patterns', 'patterns', [{ name: 'patterns.sources', orderBy: ['pattern_id', 'session_id'] }]),
  ...entityTables('checkpoints', 'checkpoints', [{ name: 'checkpoints.sessions', orderBy: ['checkpoint_id', 'session_id'] }]),
  { name: 'audit.events', orderBy: ['seq'], serial: 'seq' },
];

/**
 * An entity table with its links and the shared mechanisms: the change feed
 * (kept with its seq, so clients' sync cursors stay valid), idempotency keys
 * (a retried mutation is still answered, not applied twice) and the archive
 * of deleted content (kept with purge_after, so GDPR retention still applies).
 */
function entityTables(schema: string, table: string, links: SnapshotTable[]): SnapshotTable[] {
  return [
    { name: `${schema}.${table}`, orderBy: ['id'] },
    ...links,
    { name: `${schema}.changes`, orderBy: ['seq'], serial: 'seq' },
    { name: `${schema}.mutations`, orderBy: ['submodule_id', 'key'] },
    { name: `${schema}.archive`, orderBy: ['entity_id'] },
  ];
}

/** `"schema"."table"` for SQL text (names come from the list above, never from input). */
export function quotedName(table: SnapshotTable): string {
  return table.name
    .split('.')
    .map((part) => `"${part}"`)
    .join('.');
}
