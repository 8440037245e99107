import { sql } from 'drizzle-orm';
import { rawRows, type Db } from '@memory-context/db';

/**
 * After a purge the content is gone from every live row, but Postgres keeps
 * the old row versions in the table's pages until VACUUM, VACUUM leaves their
 * bytes in the page's free space until reused, and a GIN index (tags, full
 * text) keeps a key after its last row is gone until it is rebuilt.
 * `full` (PGlite: one process, small tables) rewrites every table and index
 * of the schemas that held the entity, so no byte of it is left in the files;
 * otherwise (Postgres, where VACUUM FULL would lock the tables) they are
 * vacuumed and their GIN indexes rebuilt concurrently. Nothing here may run
 * in a transaction.
 */
export async function scrubAfterPurge(db: Db, schemas: readonly string[], options: { full: boolean }): Promise<void> {
  const list = sql.join(
    schemas.map((s) => sql`${s}`),
    sql`, `,
  );
  const tables = await rawRows<{ schema: string; name: string }>(
    db,
    sql`select schemaname as schema, tablename as name from pg_tables where schemaname in (${list}) order by 1, 2`,
  );
  for (const { schema, name } of tables) await db.execute(sql`vacuum ${options.full ? sql`full ` : sql``}${sql.identifier(schema)}.${sql.identifier(name)}`);
  if (options.full) return; // VACUUM FULL rebuilt the indexes too
  const withGin = await rawRows<{ schema: string; name: string }>(
    db,
    sql`select distinct n.nspname as schema, t.relname as name
      from pg_index i
      join pg_class ic on ic.oid = i.indexrelid
      join pg_am a on a.oid = ic.relam
      join pg_class t on t.oid = i.indrelid
      join pg_namespace n on n.oid = t.relnamespace
      where a.amname = 'gin' and n.nspname in (${list})
      order by 1, 2`,
  );
  for (const { schema, name } of withGin) {
    const table = sql`${sql.identifier(schema)}.${sql.identifier(name)}`;
    // Rebuilt beside the old index, so reads and writes go on meanwhile.
    await db.execute(sql`reindex table concurrently ${table}`);
  }
}
