import { sql, and, asc } from 'drizzle-orm';
import { openDatabase, migrateDatabase, sessionChanges } from '@memory-context/db';
import { afterPosition, committedBefore } from '../libs/db/src/mechanisms/feed-position.js';
const database = await openDatabase({ databaseUrl: undefined, dataDir: '', inMemory: true });
await migrateDatabase(database);
const db = database.db;
for (let b = 0; b < 100; b++) {
  await db.execute(sql.raw(`insert into sessions.changes (entity_id, submodule_id, privacy_level, op, version) select gen_random_uuid(), 'bench', 'TEAM', 'UPSERT', 1 from generate_series(1,100)`));
}
await db.execute(sql`analyze sessions.changes`);
const q = () => db.select().from(sessionChanges).where(and(afterPosition(sessionChanges, { txid: 2 ** 40, seq: 0 }), committedBefore(sessionChanges))).orderBy(asc(sessionChanges.txid), asc(sessionChanges.seq)).limit(200);
for (let i = 0; i < 3; i++) await q();
let t = performance.now();
for (let i = 0; i < 50; i++) await q();
console.log('feed read (empty tail)', ((performance.now() - t) / 50).toFixed(2), 'ms');
const horizon = () => db.execute(sql.raw(`select 1`));
t = performance.now();
for (let i = 0; i < 50; i++) await horizon();
console.log('select 1', ((performance.now() - t) / 50).toFixed(2), 'ms');
const { sql: s2 } = await import('drizzle-orm');
const r = await db.execute(s2`explain analyze ${db.select().from(sessionChanges).where(and(afterPosition(sessionChanges, { txid: 2 ** 40, seq: 0 }), committedBefore(sessionChanges))).orderBy(asc(sessionChanges.txid), asc(sessionChanges.seq)).limit(200).getSQL()}`);
console.log((r as any).rows.map((x: any) => x['QUERY PLAN']).join('\n'));
await database.close();
