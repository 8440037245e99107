/**
 * Rough timings of the vector stores (not a test):
 *
 *   npx tsx libs/vectors/scripts/bench.ts [--n 10000] [--dims 96] [--stores memory,exact,pgvector] [--queries 200]
 *   MEMCTX_DATABASE_URL=postgres://… npx tsx libs/vectors/scripts/bench.ts --stores exact
 *
 * Loads N random unit vectors (three kinds, five submodules, mixed privacy,
 * tags) in batches of 64, then times queries as a non-admin actor: no
 * filter, and selective tag filters (4% and 0.1% of rows). Prints p50/p95
 * and the fewest hits any query returned (a filled limit is 20).
 */
import { migrateDatabase, openDatabase, type Actor, type Database } from '@memory-context/db';
import { createTestDatabase } from '@memory-context/db/testing';
import { ExactStore } from '../src/exact-store.js';
import { MemoryIndex } from '../src/memory-index.js';
import { PgvectorStore } from '../src/pgvector-store.js';
import { randomUnit, rng, uuidOf } from '../src/test-data.js';
import type { DocumentKind, VectorQuery, VectorRecord, VectorStore } from '../src/store.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const N = Number(arg('n', '10000'));
const DIMS = Number(arg('dims', '96'));
const QUERIES = Number(arg('queries', '200'));
const STORES = arg('stores', 'memory,exact,pgvector').split(',');
const KINDS: DocumentKind[] = ['SESSION', 'PATTERN', 'CHECKPOINT'];
const LEVELS = ['PUBLIC', 'TEAM', 'PRIVATE'] as const;

const random = rng(42);
function* records(): Generator<VectorRecord> {
  for (let i = 0; i < N; i++) {
    yield {
      id: uuidOf(i + 1),
      kind: KINDS[i % 3]!,
      submoduleId: `sub-${i % 5}`,
      privacyLevel: LEVELS[Math.floor(random() * 3)]!,
      tags: i % 1000 === 0 ? ['rarest', 'rare', 'auth'] : i % 25 === 0 ? ['rare', 'auth'] : ['auth'],
      createdAt: new Date(Date.UTC(2025, 0, 1) + i * 60_000),
      vector: randomUnit(random, DIMS),
    };
  }
}

const actor: Actor = { submoduleId: 'sub-1', admin: false };
const queryVectors = Array.from({ length: QUERIES }, () => randomUnit(rng(7 + Math.floor(random() * 1e9)), DIMS));

function percentiles(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!.toFixed(2);
  return `p50 ${at(0.5)} ms, p95 ${at(0.95)} ms`;
}

async function timeQueries(label: string, search: (v: Float32Array, q: VectorQuery) => Promise<unknown> | unknown): Promise<void> {
  for (const [name, q] of [
    ['no filter', { actor }],
    ['tag filter (4%)', { actor, tags: ['rare'] }],
    ['tag filter (0.1%)', { actor, tags: ['rarest'] }],
  ] as Array<[string, VectorQuery]>) {
    for (const v of queryVectors.slice(0, 10)) await search(v, q); // warm-up
    const times: number[] = [];
    let fewest = Infinity;
    for (const v of queryVectors) {
      const t = performance.now();
      const hits = (await search(v, q)) as unknown[];
      times.push(performance.now() - t);
      fewest = Math.min(fewest, hits.length);
    }
    console.log(`  ${label} search, ${name}, limit 20: ${percentiles(times)} (fewest hits ${fewest})`);
  }
}

async function load(store: VectorStore): Promise<void> {
  const started = performance.now();
  let batch: VectorRecord[] = [];
  for (const r of records()) {
    batch.push(r);
    if (batch.length === 64) {
      await store.upsert(batch);
      batch = [];
    }
  }
  if (batch.length) await store.upsert(batch);
  const s = (performance.now() - started) / 1000;
  console.log(`  upserted ${N} in ${s.toFixed(1)} s (${Math.round(N / s)} vectors/s, batches of 64)`);
}

/** In-memory PGlite, or a scratch database on the MEMCTX_DATABASE_URL server (dropped after). */
async function database(): Promise<{ db: Database; close: () => Promise<void> }> {
  if (process.env.MEMCTX_DATABASE_URL) {
    const test = await createTestDatabase();
    return { db: test.database, close: () => test.close() };
  }
  const db = await openDatabase({ databaseUrl: undefined, dataDir: '', inMemory: true });
  await migrateDatabase(db);
  return { db, close: () => db.close() };
}

console.log(`${N} vectors × ${DIMS}d, ${QUERIES} queries, on ${process.env.MEMCTX_DATABASE_URL ? 'Postgres' : 'PGlite'}`);
if (STORES.includes('memory')) {
  const index = new MemoryIndex(DIMS);
  for (const r of records()) index.upsert(r, r.vector);
  console.log('memory index (the exact store\'s scan):');
  await timeQueries('memory', (v, q) => index.search(v, q, 20));
}
for (const name of STORES.filter((s) => s !== 'memory')) {
  const { db, close } = await database();
  const store = name === 'exact' ? new ExactStore(db) : new PgvectorStore(db);
  await store.clear();
  await store.init('bench', DIMS);
  console.log(`${name}:`);
  await load(store);
  if (name === 'exact') {
    const t = performance.now();
    const fresh = new ExactStore(db);
    await fresh.init('bench', DIMS);
    console.log(`  cold load of ${N} vectors into a new instance: ${((performance.now() - t) / 1000).toFixed(2)} s`);
  }
  await timeQueries(name, (v, q) => store.search(v, q, 20));
  await store.clear();
  await close();
}
