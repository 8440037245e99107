import { sql } from 'drizzle-orm';
import type { Database, DbOrTx } from '../database.js';
import { rawRows } from '../mechanisms/raw-rows.js';
import { TableDigest } from './checksum.js';
import { SnapshotError } from './errors.js';
import { parseHeader, type SnapshotHeader } from './format.js';
import { gzipLines } from './lines.js';
import { appliedMigration } from './migration.js';
import { advanceFeedClock } from '../mechanisms/feed-clock.js';
import { digestTable, useUtc } from './rows.js';
import { quotedName, SNAPSHOT_TABLES, type SnapshotTable } from './tables.js';

const BATCH_ROWS = 500;

/**
 * Loads a snapshot into an empty, migrated database (PGlite or Postgres) in
 * one transaction: any refusal or error (wrong version, a cut or damaged
 * file, a checksum that does not match) rolls everything back. After loading,
 * the rows are read back and hashed again, so what was committed is what
 * was exported.
 */
export async function restoreSnapshot(database: Database, path: string): Promise<SnapshotHeader> {
  const lines = gzipLines(path);
  try {
    const first = await lines.next();
    const header = parseHeader(first.done ? undefined : first.value);
    checkTables(header);
    await database.db.transaction(async (tx) => {
      await useUtc(tx);
      const migration = await appliedMigration(tx);
      if (migration !== header.migration) {
        throw new SnapshotError(
          'SNAPSHOT_SCHEMA_MISMATCH',
          `the snapshot was taken at schema migration ${header.migration}, this database is at ${migration}; restore with the release that wrote the snapshot, then upgrade.`,
        );
      }
      // Writers (services left running on the target) wait until the restore commits or rolls back.
      await tx.execute(sql.raw(`lock table ${SNAPSHOT_TABLES.map(quotedName).join(', ')} in exclusive mode`));
      await refuseNonEmpty(tx);
      // Cursors hold no data, but a stack that ran once on the target wrote them at zero.
      await tx.execute(sql.raw('delete from registry.feed_cursors'));
      for (const [index, table] of SNAPSHOT_TABLES.entries()) {
        const expected = header.tables[index]!;
        const digest = await loadTable(tx, table, expected.rows, lines);
        if (digest.rows !== expected.rows) throw new SnapshotError('SNAPSHOT_CORRUPT', `${table.name}: ${digest.rows} rows in the file, the header says ${expected.rows}.`);
        const sha256 = digest.hex();
        if (sha256 !== expected.sha256) throw new SnapshotError('SNAPSHOT_CHECKSUM_MISMATCH', `${table.name}: the rows do not match the header's checksum; the file was changed or damaged.`);
        if (table.serial) await continueSequence(tx, table, table.serial);
      }
      const extra = await lines.next();
      if (!extra.done && extra.value !== '') throw new SnapshotError('SNAPSHOT_CORRUPT', 'unexpected lines after the last table.');
      // The change rows came with their positions, maybe from another cluster: later writes must follow them.
      await advanceFeedClock(tx);
      for (const table of SNAPSHOT_TABLES) {
        const expected = header.tables.find((t) => t.name === table.name)!;
        const stored = await digestTable(tx, table);
        if (stored.rows !== expected.rows || stored.sha256 !== expected.sha256) {
          throw new SnapshotError('SNAPSHOT_CHECKSUM_MISMATCH', `${table.name}: the restored rows read back differently from the snapshot (${stored.rows} rows, expected ${expected.rows}).`);
        }
      }
    });
    return header;
  } finally {
    await lines.return(undefined);
  }
}

function checkTables(header: SnapshotHeader): void {
  const names = header.tables.map((t) => t.name).join(',');
  if (names !== SNAPSHOT_TABLES.map((t) => t.name).join(',')) {
    throw new SnapshotError('SNAPSHOT_CORRUPT', `the header lists tables this release does not expect: ${names}.`);
  }
}

async function refuseNonEmpty(tx: DbOrTx): Promise<void> {
  const filled: string[] = [];
  for (const table of SNAPSHOT_TABLES) {
    if (table.name === 'registry.feed_cursors') continue;
    const [row] = await rawRows<{ filled: boolean }>(tx, sql.raw(`select exists(select 1 from ${quotedName(table)}) as filled`));
    if (row?.filled) filled.push(table.name);
  }
  if (filled.length > 0) {
    throw new SnapshotError('RESTORE_TARGET_NOT_EMPTY', `the target database already holds data (${filled.join(', ')}); restore into a new, empty database.`);
  }
}

async function loadTable(tx: DbOrTx, table: SnapshotTable, rows: number, lines: AsyncGenerator<string>): Promise<TableDigest> {
  const section = await lines.next();
  let name: unknown;
  try {
    name = section.done ? undefined : (JSON.parse(section.value) as { table?: unknown }).table;
  } catch {
    name = undefined;
  }
  if (name !== table.name) throw new SnapshotError('SNAPSHOT_CORRUPT', `expected the rows of ${table.name}, the file is cut short or out of order there.`);
  const digest = new TableDigest();
  let batch: string[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const target = sql.raw(quotedName(table));
    await tx.execute(sql`insert into ${target} select * from json_populate_recordset(null::${target}, ${`[${batch.join(',')}]`}::json)`);
    batch = [];
  };
  while (digest.rows < rows) {
    const next = await lines.next();
    if (next.done) break;
    digest.add(next.value);
    batch.push(next.value);
    if (batch.length >= BATCH_ROWS) await flush();
  }
  await flush();
  return digest;
}

/** Rows came with their seq: the next insert must continue after them. */
async function continueSequence(tx: DbOrTx, table: SnapshotTable, column: string): Promise<void> {
  const name = quotedName(table);
  await tx.execute(
    sql.raw(`select setval(pg_get_serial_sequence('${name}', '${column}'), coalesce((select max("${column}") from ${name}), 0) + 1, false)`),
  );
}
