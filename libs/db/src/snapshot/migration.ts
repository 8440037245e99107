import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../database.js';
import { rawRows } from '../mechanisms/raw-rows.js';
import { migrationsFolder } from '../migrate.js';

/** The tag of the last migration applied to this database (drizzle records each by its journal time). */
export async function appliedMigration(tx: DbOrTx): Promise<string> {
  const [last] = await rawRows<{ created_at: string | number }>(tx, sql.raw('select created_at from drizzle.__drizzle_migrations order by created_at desc limit 1'));
  if (!last) return 'none';
  const journal = JSON.parse(readFileSync(join(migrationsFolder(), 'meta', '_journal.json'), 'utf8')) as { entries: Array<{ when: number; tag: string }> };
  return journal.entries.find((entry) => entry.when === Number(last.created_at))?.tag ?? `unknown-${String(last.created_at)}`;
}
