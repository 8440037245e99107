import { migrateDatabase, openDatabase, type Database } from '@memory-context/db';
import { createTestDatabase } from '@memory-context/db/testing';
import { afterAll, describe, expect, it } from '@jest/globals';
import { FakeQdrant } from './fake-qdrant.js';
import { ExactStore } from './exact-store.js';
import { PgvectorStore } from './pgvector-store.js';
import { QdrantStore } from './qdrant-store.js';
import { sql } from 'drizzle-orm';
import { describeVectorStoreContract, randomUnit, rng, uuidOf } from './store.contract.js';
import type { VectorStore } from './store.js';

async function pglite(): Promise<Database> {
  const database = await openDatabase({ databaseUrl: undefined, dataDir: '', inMemory: true });
  await migrateDatabase(database);
  return database;
}

function onPglite(make: (db: Database) => VectorStore) {
  return async () => {
    const database = await pglite();
    return { store: make(database), another: async () => make(database), cleanup: () => database.close() };
  };
}

/** A fresh Postgres database (MEMCTX_DATABASE_URL); `another` opens a second connection pool, as another process would. */
function onPostgres(make: (db: Database) => VectorStore) {
  return async () => {
    const test = await createTestDatabase();
    const others: Database[] = [];
    return {
      store: make(test.database),
      another: async () => {
        const db = await openDatabase({ databaseUrl: test.url, dataDir: '', poolSize: 2 });
        others.push(db);
        return make(db);
      },
      cleanup: async () => {
        for (const db of others) await db.close();
        await test.close();
      },
    };
  };
}

describeVectorStoreContract('pgvector on PGlite (HNSW from the start)', onPglite((db) => new PgvectorStore(db, { hnswMinRows: 0 })));
describeVectorStoreContract('pgvector on PGlite (HNSW built at 100 rows)', onPglite((db) => new PgvectorStore(db, { hnswMinRows: 100 })));

describe('pgvector index lifecycle', () => {
  it('scans exactly until the table reaches hnswMinRows, then builds the HNSW index once', async () => {
    const database = await pglite();
    try {
      const store = new PgvectorStore(database, { hnswMinRows: 50 });
      await store.init('m', 8);
      const hnsw = async () => (await database.db.execute(sql`select to_regclass('search.vectors_embedding_hnsw')::text as t`)) as unknown as { rows: Array<{ t: string | null }> };
      const records = (from: number, n: number) =>
        Array.from({ length: n }, (_, i) => ({ id: uuidOf(from + i), kind: 'SESSION' as const, submoduleId: 's', privacyLevel: 'PUBLIC' as const, tags: [], createdAt: new Date(), vector: randomUnit(rng(from + i), 8) }));
      await store.upsert(records(1, 40));
      expect((await hnsw()).rows[0]!.t).toBeNull();
      await store.upsert(records(41, 20));
      expect((await hnsw()).rows[0]!.t).toBe('search.vectors_embedding_hnsw');
      await store.clear();
      await store.init('m', 8);
      expect((await hnsw()).rows[0]!.t).toBeNull();
    } finally {
      await database.close();
    }
  });

  it('keeps the planner statistics current, so a filtered query walks the graph instead of sorting a scan', async () => {
    const database = await pglite();
    try {
      const store = new PgvectorStore(database, { hnswMinRows: 0 });
      await store.init('m', 8);
      // 2,000 vectors, 90% readable by everyone: without statistics the planner guesses the access filter keeps few rows.
      const records = Array.from({ length: 2000 }, (_, i) => ({
        id: uuidOf(i + 1),
        kind: 'SESSION' as const,
        submoduleId: `s${i % 8}`,
        privacyLevel: (i % 10 === 0 ? 'PRIVATE' : 'TEAM') as 'PRIVATE' | 'TEAM',
        tags: [],
        createdAt: new Date(),
        vector: randomUnit(rng(i + 1), 8),
      }));
      for (let i = 0; i < records.length; i += 250) await store.upsert(records.slice(i, i + 250));
      const stats = (await database.db.execute(sql`select reltuples::int as n from pg_class where oid = 'search.vectors'::regclass`)) as unknown as { rows: Array<{ n: number }> };
      expect(stats.rows[0]!.n).toBeGreaterThanOrEqual(1500);
      const literal = `[${Array.from(randomUnit(rng(99), 8)).join(',')}]`;
      const plan = (await database.db.execute(
        sql.raw(`explain select id from search.vectors where (privacy_level in ('PUBLIC', 'TEAM') or submodule_id = 's1') order by embedding <=> '${literal}'::vector limit 50`),
      )) as unknown as { rows: Array<Record<string, string>> };
      expect(plan.rows.map((r) => Object.values(r)[0]).join('\n')).toContain('Index Scan using vectors_embedding_hnsw');
    } finally {
      await database.close();
    }
  });
});
describeVectorStoreContract('exact on PGlite', onPglite((db) => new ExactStore(db)));

const postgresUrl = process.env.MEMCTX_DATABASE_URL;
(!postgresUrl ? describe.skip : describe)('on Postgres (MEMCTX_DATABASE_URL)', () => {
  describeVectorStoreContract('exact on Postgres', onPostgres((db) => new ExactStore(db)));
});

// pgvector on Postgres only where the server has the extension
const postgresHasVector = postgresUrl
  ? await (async () => {
      const db = await openDatabase({ databaseUrl: postgresUrl, dataDir: '', poolSize: 1 });
      try {
        return await db.hasVector();
      } finally {
        await db.close();
      }
    })()
  : false;
(!postgresHasVector ? describe.skip : describe)('pgvector on Postgres (server has the extension)', () => {
  describeVectorStoreContract('pgvector on Postgres', onPostgres((db) => new PgvectorStore(db, { hnswMinRows: 0 })));
});

// The Qdrant adapter against an in-process fake of the REST API (always), then the real server.
const fakeQdrant = new FakeQdrant();
const fakeQdrantUrl = await fakeQdrant.start();
afterAll(() => fakeQdrant.stop());
describe('qdrant adapter against a fake Qdrant', () => {
  const make = () => new QdrantStore({ url: fakeQdrantUrl, collection: 'contract' });
  describeVectorStoreContract('qdrant (fake server)', async () => ({ store: make(), another: async () => make() }));

  it('creates one cosine collection with a tenant index on submodule_id and keyword/datetime indexes', async () => {
    const store = make();
    await store.clear();
    expect(await store.init('m', 8)).toBe(true);
    const collection = fakeQdrant.collections.get('contract')!;
    expect(collection.distance).toBe('Cosine');
    expect(Object.fromEntries(collection.indexes)).toEqual({
      submodule_id: { type: 'keyword', is_tenant: true },
      kind: 'keyword',
      privacy_level: 'keyword',
      tags: 'keyword',
      created_at: 'datetime',
    });
    await store.clear();
  });

  it('puts the access rule inside the query filter', async () => {
    const store = make();
    await store.clear();
    await store.init('m', 4);
    fakeQdrant.requests.length = 0;
    await store.search(Float32Array.from([1, 0, 0, 0]), { actor: { submoduleId: 'alice', admin: false }, kinds: ['SESSION'] }, 3);
    const query = fakeQdrant.requests.find((r) => r.path.endsWith('/points/query'))!.body as { filter: { must: unknown[] } };
    expect(query.filter.must[0]).toEqual({
      should: [
        { key: 'privacy_level', match: { any: ['PUBLIC', 'TEAM'] } },
        { key: 'submodule_id', match: { value: 'alice' } },
      ],
    });
    // An admin's read scope is everything: no access condition at all.
    fakeQdrant.requests.length = 0;
    await store.search(Float32Array.from([1, 0, 0, 0]), { actor: { submoduleId: 'ops', admin: true }, kinds: ['SESSION'] }, 3);
    const asAdmin = fakeQdrant.requests.find((r) => r.path.endsWith('/points/query'))!.body as { filter: { must: unknown[] } };
    expect(asAdmin.filter.must).toEqual([{ key: 'kind', match: { any: ['SESSION'] } }]);
    await store.clear();
  });
});

const qdrantUrl = process.env.MEMCTX_QDRANT_URL;
(!qdrantUrl ? describe.skip : describe)('qdrant (MEMCTX_QDRANT_URL)', () => {
  const collection = `memctx_contract_${process.pid}_${Date.now()}`;
  const make = () => new QdrantStore({ url: qdrantUrl!, apiKey: process.env.MEMCTX_QDRANT_API_KEY, collection });
  describeVectorStoreContract('qdrant', async () => ({ store: make(), another: async () => make() }));
});
