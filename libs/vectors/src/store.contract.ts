import type { Actor } from '@memory-context/db';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { matchesQuery } from './filter.js';
import { randomUnit, rng, uuidOf } from './test-data.js';
import type { DocumentKind, VectorQuery, VectorRecord, VectorStore } from './store.js';

export { randomUnit, rng, uuidOf };

export interface StoreContractSetup {
  store: VectorStore;
  /** Another store over the same storage (another process, in effect). */
  another: () => Promise<VectorStore>;
  cleanup?: () => Promise<void>;
}

export interface StoreContractOptions {
  /** Rows in the larger data set (filtered-recall test). Default 400. */
  bulk?: number;
  timeoutMs?: number;
}

const DIMS = 16;
const MODEL = 'contract-model-v1';
const KINDS: DocumentKind[] = ['SESSION', 'PATTERN', 'CHECKPOINT'];
const LEVELS = ['PUBLIC', 'TEAM', 'PRIVATE'] as const;
const TAGS = ['auth', 'db', 'ci', 'rust', 'perf'];
const T0 = Date.parse('2025-01-01T00:00:00Z');
const DAY = 86_400_000;

const alice: Actor = { submoduleId: 'alice', admin: false };
const bob: Actor = { submoduleId: 'bob', admin: false };
const admin: Actor = { submoduleId: 'ops', admin: true };

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k]! * b[k]!;
  return s;
}

function makeRecords(n: number, seed: number): VectorRecord[] {
  const random = rng(seed);
  return Array.from({ length: n }, (_, i) => ({
    id: uuidOf(seed * 100_000 + i + 1),
    kind: KINDS[i % 3]!,
    submoduleId: ['alice', 'bob', 'carol'][Math.floor(i / 3) % 3]!,
    privacyLevel: LEVELS[Math.floor(i / 9) % 3]!,
    tags: TAGS.filter((_, t) => (i >> t) & 1),
    createdAt: new Date(T0 + (i % 30) * DAY),
    vector: randomUnit(random),
  }));
}

/** What any store must answer: the oracle is matchesQuery + exact cosine. */
function expected(records: readonly VectorRecord[], vector: Float32Array, q: VectorQuery, limit: number): string[] {
  return records
    .filter((r) => matchesQuery(r, q))
    .map((r) => ({ id: r.id, score: dot(r.vector, vector) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map((h) => h.id);
}

/**
 * The behaviour every VectorStore owes the search service. Each test starts
 * from an empty store initialised for a 16-dimensional test model.
 */
export function describeVectorStoreContract(name: string, setup: () => Promise<StoreContractSetup>, options: StoreContractOptions = {}): void {
  const timeout = options.timeoutMs ?? 60_000;
  describe(`VectorStore contract: ${name}`, () => {
    let env: StoreContractSetup;
    let store: VectorStore;

    beforeAll(async () => {
      env = await setup();
      store = env.store;
    }, timeout);

    afterAll(async () => {
      await store?.clear().catch(() => {});
      await store?.close();
      await env?.cleanup?.();
    }, timeout);

    beforeEach(async () => {
      await store.clear();
      expect(await store.init(MODEL, DIMS)).toBe(true);
    }, timeout);

    it('initialises idempotently for the same model and starts empty', async () => {
      expect(await store.init(MODEL, DIMS)).toBe(true);
      expect(await store.count()).toBe(0);
      expect(await store.search(randomUnit(rng(1)), { actor: admin }, 10)).toEqual([]);
    }, timeout);

    it('ranks by cosine similarity and reports it as the score', async () => {
      const records = makeRecords(60, 1);
      await store.upsert(records);
      expect(await store.count()).toBe(60);
      const q = randomUnit(rng(99));
      const hits = await store.search(q, { actor: admin }, 10);
      expect(hits.map((h) => h.id)).toEqual(expected(records, q, { actor: admin }, 10));
      for (const h of hits) {
        const r = records.find((x) => x.id === h.id)!;
        expect(h.kind).toBe(r.kind);
        expect(h.score).toBeCloseTo(dot(r.vector, q), 4);
      }
      for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
      // the vector itself is its own nearest neighbour with score 1
      const [top] = await store.search(records[7]!.vector, { actor: admin }, 1);
      expect(top!.id).toBe(records[7]!.id);
      expect(top!.score).toBeCloseTo(1, 4);
    }, timeout);

    it('respects the limit', async () => {
      await store.upsert(makeRecords(30, 2));
      expect(await store.search(randomUnit(rng(3)), { actor: admin }, 5)).toHaveLength(5);
      expect(await store.search(randomUnit(rng(3)), { actor: admin }, 0)).toEqual([]);
      expect(await store.search(randomUnit(rng(3)), { actor: admin }, 100)).toHaveLength(30);
    }, timeout);

    it('applies every filter inside the query', async () => {
      const records = makeRecords(90, 4);
      await store.upsert(records);
      const q = randomUnit(rng(5));
      const queries: VectorQuery[] = [
        { actor: admin, kinds: ['PATTERN'] },
        { actor: admin, kinds: ['SESSION', 'CHECKPOINT'] },
        { actor: admin, submodules: ['bob'] },
        { actor: admin, privacyLevels: ['TEAM'] },
        { actor: admin, tags: ['auth'] },
        { actor: admin, tags: ['auth', 'db'] },
        { actor: admin, from: new Date(T0 + 10 * DAY) },
        { actor: admin, to: new Date(T0 + 5 * DAY) },
        { actor: admin, from: new Date(T0 + 3 * DAY), to: new Date(T0 + 4 * DAY) },
        { actor: admin, excludeIds: records.slice(0, 40).map((r) => r.id) },
        { actor: admin, kinds: [], submodules: [], tags: [], excludeIds: [] },
        { actor: alice, kinds: ['SESSION'], tags: ['ci'], submodules: ['alice', 'carol'] },
        { actor: bob, privacyLevels: ['PRIVATE'] },
      ];
      for (const query of queries) {
        const hits = await store.search(q, query, 8);
        expect(hits.map((h) => h.id), JSON.stringify({ ...query, actor: query.actor.submoduleId })).toEqual(expected(records, q, query, 8));
      }
    }, timeout);

    it("never returns another submodule's PRIVATE document, even the nearest; the owner and admins see it", async () => {
      const random = rng(6);
      const secret: VectorRecord = { id: uuidOf(900_001), kind: 'SESSION', submoduleId: 'bob', privacyLevel: 'PRIVATE', tags: ['auth'], createdAt: new Date(T0), vector: randomUnit(random) };
      const team: VectorRecord = { id: uuidOf(900_002), kind: 'SESSION', submoduleId: 'bob', privacyLevel: 'TEAM', tags: ['auth'], createdAt: new Date(T0), vector: randomUnit(random) };
      const pub: VectorRecord = { id: uuidOf(900_003), kind: 'PATTERN', submoduleId: 'carol', privacyLevel: 'PUBLIC', tags: [], createdAt: new Date(T0), vector: randomUnit(random) };
      const mine: VectorRecord = { id: uuidOf(900_004), kind: 'CHECKPOINT', submoduleId: 'alice', privacyLevel: 'PRIVATE', tags: [], createdAt: new Date(T0), vector: randomUnit(random) };
      await store.upsert([secret, team, pub, mine]);
      const asAlice = await store.search(secret.vector, { actor: alice }, 10);
      expect(asAlice.map((h) => h.id).sort()).toEqual([team.id, pub.id, mine.id].sort());
      expect(await store.search(secret.vector, { actor: alice, submodules: ['bob'], privacyLevels: ['PRIVATE'] }, 10)).toEqual([]);
      expect((await store.search(secret.vector, { actor: bob }, 1))[0]!.id).toBe(secret.id);
      expect((await store.search(secret.vector, { actor: admin }, 1))[0]!.id).toBe(secret.id);
      expect((await store.search(secret.vector, { actor: admin }, 10)).map((h) => h.id).sort()).toEqual([secret.id, team.id, pub.id, mine.id].sort());
    }, timeout);

    it('deletes', async () => {
      const records = makeRecords(20, 7);
      await store.upsert(records);
      await store.delete([records[0]!.id, records[1]!.id, uuidOf(123_456_789), 'not-a-uuid']);
      expect(await store.count()).toBe(18);
      expect(await store.vectorOf(records[0]!.id)).toBeUndefined();
      const hits = await store.search(records[0]!.vector, { actor: admin }, 20);
      expect(hits.map((h) => h.id)).not.toContain(records[0]!.id);
      expect(hits).toHaveLength(18);
      await store.delete([]);
      expect(await store.count()).toBe(18);
    }, timeout);

    it('replaces on re-upsert: vector, access fields and filters', async () => {
      const [r] = makeRecords(1, 8);
      const record = { ...r!, submoduleId: 'bob', privacyLevel: 'PUBLIC' as const };
      await store.upsert([record]);
      const moved = randomUnit(rng(81));
      await store.upsert([{ ...record, vector: moved, privacyLevel: 'PRIVATE', kind: 'PATTERN', tags: ['rust'], createdAt: new Date(T0 + 9 * DAY) }]);
      expect(await store.count()).toBe(1);
      expect(await store.search(moved, { actor: alice }, 5)).toEqual([]);
      const [hit] = await store.search(moved, { actor: bob, kinds: ['PATTERN'], tags: ['rust'], from: new Date(T0 + 9 * DAY) }, 5);
      expect(hit!.id).toBe(record.id);
      expect(hit!.kind).toBe('PATTERN');
      expect(hit!.score).toBeCloseTo(1, 4);
      // duplicates within one call: the last one wins
      const last = randomUnit(rng(82));
      await store.upsert([{ ...record, vector: randomUnit(rng(83)) }, { ...record, vector: last }]);
      const stored = await store.vectorOf(record.id);
      expect(dot(stored!, last)).toBeCloseTo(1, 4);
    }, timeout);

    it('returns stored vectors with vectorOf', async () => {
      const records = makeRecords(5, 9);
      await store.upsert(records);
      const v = await store.vectorOf(records[3]!.id);
      expect(v).toBeInstanceOf(Float32Array);
      expect(v!.length).toBe(DIMS);
      for (let k = 0; k < DIMS; k++) expect(v![k]).toBeCloseTo(records[3]!.vector[k]!, 5);
      expect(await store.vectorOf(uuidOf(424_242))).toBeUndefined();
      expect(await store.vectorOf('not-a-uuid')).toBeUndefined();
      const many = await store.vectorsOf([records[1]!.id, records[4]!.id, uuidOf(424_242), 'not-a-uuid', records[1]!.id]);
      expect([...many.keys()].sort()).toEqual([records[1]!.id, records[4]!.id].sort());
      for (let k = 0; k < DIMS; k++) expect(many.get(records[4]!.id)![k]).toBeCloseTo(records[4]!.vector[k]!, 5);
      expect((await store.vectorsOf([])).size).toBe(0);
    }, timeout);

    it('clears everything and can start again', async () => {
      await store.upsert(makeRecords(10, 10));
      await store.clear();
      expect(await store.count()).toBe(0);
      expect(await store.init(MODEL, DIMS)).toBe(true);
      expect(await store.count()).toBe(0);
      await store.upsert(makeRecords(3, 11));
      expect(await store.count()).toBe(3);
    }, timeout);

    it('refuses another model or size until cleared (init returns false)', async () => {
      await store.upsert(makeRecords(5, 12));
      expect(await store.init('another-model', DIMS)).toBe(false);
      await expect(store.search(randomUnit(rng(1)), { actor: admin }, 5)).rejects.toThrow(/not ready/);
      expect(await store.init(MODEL, DIMS + 8)).toBe(false);
      expect(await store.count()).toBe(5);
      await store.clear();
      expect(await store.init('another-model', DIMS + 8)).toBe(true);
      await store.upsert([{ ...makeRecords(1, 13)[0]!, vector: randomUnit(rng(14), DIMS + 8) }]);
      expect(await store.count()).toBe(1);
      expect(await store.init(MODEL, DIMS)).toBe(false);
    }, timeout);

    it('refuses vectors of the wrong size', async () => {
      const [r] = makeRecords(1, 15);
      await expect(store.upsert([{ ...r!, vector: new Float32Array(DIMS + 1) }])).rejects.toThrow(/dimensions/);
      await expect(store.search(new Float32Array(3), { actor: admin }, 5)).rejects.toThrow(/dimensions/);
    }, timeout);

    it('fills the limit under selective filters', async () => {
      const n = options.bulk ?? 400;
      const records = makeRecords(n, 16).map((r, i) => ({ ...r, tags: i % 25 === 0 ? ['rare'] : r.tags }));
      await store.upsert(records);
      const rare = records.filter((r) => r.tags.includes('rare')).length;
      for (let s = 0; s < 5; s++) {
        const q = randomUnit(rng(200 + s));
        const hits = await store.search(q, { actor: admin, tags: ['rare'] }, 10);
        expect(hits).toHaveLength(Math.min(10, rare));
        const want = expected(records, q, { actor: admin, tags: ['rare'] }, 10);
        // approximate indexes may swap near-ties, but must find nearly all true neighbours
        expect(hits.filter((h) => want.includes(h.id)).length).toBeGreaterThanOrEqual(9);
      }
      const hits = await store.search(randomUnit(rng(300)), { actor: alice, privacyLevels: ['PRIVATE'] }, 10);
      expect(hits.length).toBe(Math.min(10, records.filter((r) => r.privacyLevel === 'PRIVATE' && r.submoduleId === 'alice').length));
    }, timeout);

    it('shows one instance the writes of another over the same storage', async () => {
      const other = await env.another();
      try {
        expect(await other.init(MODEL, DIMS)).toBe(true);
        const records = makeRecords(12, 17);
        await store.upsert(records);
        expect(await other.count()).toBe(12);
        expect((await other.search(records[4]!.vector, { actor: admin }, 1))[0]!.id).toBe(records[4]!.id);
        await other.upsert([{ ...records[4]!, privacyLevel: 'PRIVATE', submoduleId: 'bob' }]);
        await store.delete([records[5]!.id]);
        expect((await store.search(records[4]!.vector, { actor: alice }, 20)).map((h) => h.id)).not.toContain(records[4]!.id);
        expect((await other.search(records[5]!.vector, { actor: admin }, 20)).map((h) => h.id)).not.toContain(records[5]!.id);
        expect(await other.count()).toBe(11);
        expect(await store.count()).toBe(11);
        await store.clear();
        expect(await other.count()).toBe(0);
      } finally {
        await other.close();
      }
    }, timeout);
  });
}
