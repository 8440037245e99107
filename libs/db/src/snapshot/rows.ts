import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../database.js';
import { rawRows } from '../mechanisms/raw-rows.js';
import { TableDigest } from './checksum.js';
import { quotedName, type SnapshotTable } from './tables.js';

const PAGE_SIZE = 500;

/**
 * The table's rows as canonical JSON text, a page at a time through a cursor
 * (one pass, whatever the size). Run inside one transaction (the pages must
 * see one snapshot) whose time zone is UTC.
 */
export async function* tableRows(tx: DbOrTx, table: SnapshotTable): AsyncGenerator<string> {
  const where = table.where ? `where ${table.where}` : '';
  const order = table.orderBy.map((column) => `t."${column}"`).join(', ');
  await tx.execute(sql.raw(`declare snapshot_rows no scroll cursor for select row_to_json(t)::text as row from ${quotedName(table)} t ${where} order by ${order}`));
  try {
    for (;;) {
      const page = await rawRows<{ row: string }>(tx, sql.raw(`fetch ${PAGE_SIZE} from snapshot_rows`));
      for (const { row } of page) yield row;
      if (page.length < PAGE_SIZE) return;
    }
  } finally {
    await tx.execute(sql.raw('close snapshot_rows'));
  }
}

export async function digestTable(tx: DbOrTx, table: SnapshotTable): Promise<{ rows: number; sha256: string }> {
  const digest = new TableDigest();
  for await (const row of tableRows(tx, table)) digest.add(row);
  return { rows: digest.rows, sha256: digest.hex() };
}

/** Canonical text for timestamps: the same on every server whatever its zone. */
export async function useUtc(tx: DbOrTx): Promise<void> {
  await tx.execute(sql.raw(`set local timezone = 'UTC'`));
}
