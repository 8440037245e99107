import { migrateDatabase, openDatabase } from '@memory-context/db';
import { sql } from 'drizzle-orm';
import { PgvectorStore } from '../src/pgvector-store.js';
import { randomUnit, rng, uuidOf } from '../src/store.contract.js';
const db = await openDatabase({ databaseUrl: undefined, dataDir: '', inMemory: true });
await migrateDatabase(db);
const store = new PgvectorStore(db);
await store.init('b', 96);
await db.db.execute(sql`drop index search.vectors_embedding_hnsw`);
const random = rng(1);
let n = 0;
for (const target of [10000, 20000]) {
  const t = performance.now();
  for (; n < target; n += 64) {
    await store.upsert(Array.from({ length: 64 }, (_, j) => ({ id: uuidOf(n + j + 1), kind: 'SESSION' as const, submoduleId: 's', privacyLevel: 'PUBLIC' as const, tags: ['a'], createdAt: new Date(), vector: randomUnit(random, 96) })));
  }
  console.log('load to', target, Math.round((performance.now() - t)), 'ms');
  const times: number[] = [];
  for (let i = 0; i < 20; i++) { const t2 = performance.now(); await store.search(randomUnit(random, 96), { actor: { submoduleId: 'x', admin: false } }, 20); times.push(performance.now() - t2); }
  times.sort((a, b) => a - b);
  console.log('seq scan search at', target, 'p50', times[10]!.toFixed(1), 'max', times[19]!.toFixed(1));
}
for (const [m, ef] of [[16, 64], [12, 40]]) {
  const t = performance.now();
  await db.db.execute(sql.raw(`create index tmp_hnsw on search.vectors using hnsw (embedding vector_cosine_ops) with (m = ${m}, ef_construction = ${ef})`));
  console.log(`bulk build m=${m} ef=${ef} over ${n}:`, Math.round(performance.now() - t), 'ms');
  await db.db.execute(sql`drop index search.tmp_hnsw`);
}
await db.close();
