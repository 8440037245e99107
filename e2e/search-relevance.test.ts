import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { evaluate, formatMetrics, loadDataset, loadEntities, ndcgAt, recallAt, type Dataset, type ModeMetrics } from './search-relevance/evaluate.js';
import { graphql, ok, startTestStack, type TestStack } from './src/index.js';

let stack: TestStack;
let dataset: Dataset;
let ids: Map<string, string>;
let metrics: ModeMetrics[];

/**
 * HYBRID floors, just below what the shipped ranking measures (docs/search.md,
 * Relevance): a change that lowers relevance on either half fails here.
 */
/** Where the first relevant hit of each seed question must stand at worst (measured: see docs/search.md). */
const SEED_WITHIN = { q59: 2, q07: 2, q15: 1 };

const FLOOR = {
  tune: { recallAt10: 0.33, ndcgAt10: 0.37 },
  holdout: { recallAt10: 0.41, ndcgAt10: 0.46 },
};

beforeAll(async () => {
  stack = await startTestStack();
  dataset = loadDataset();
  ids = await loadEntities(stack, dataset);
  await stack.search.indexer.catchUp();
  metrics = await evaluate(stack, dataset, ids);
}, 600_000);
afterAll(async () => stack?.stop());

it('computes recall and nDCG as defined', () => {
  expect(recallAt(['a', 'x', 'b'], { a: 2, b: 1, c: 1 }, 10)).toBeCloseTo(2 / 3);
  expect(ndcgAt(['a', 'b'], { a: 2, b: 1 }, 10)).toBeCloseTo(1);
  expect(ndcgAt(['b', 'a'], { a: 2, b: 1 }, 10)).toBeLessThan(1);
});

it('never returns another submodule\'s PRIVATE entity in any mode', () => {
  expect(metrics.map((m) => m.leaks)).toEqual([0, 0, 0]);
});

it('HYBRID stays above its recall@10 and nDCG@10 floors on the tune and the held-out queries', () => {
  console.info(formatMetrics(metrics));
  const hybrid = metrics.find((m) => m.mode === 'HYBRID')!;
  for (const split of ['tune', 'holdout'] as const) {
    expect({ split, recallAt10: hybrid.splits[split].recallAt10 >= FLOOR[split].recallAt10 }).toEqual({ split, recallAt10: true });
    expect({ split, ndcgAt10: hybrid.splits[split].ndcgAt10 >= FLOOR[split].ndcgAt10 }).toEqual({ split, ndcgAt10: true });
  }
});

it('HYBRID beats LEXICAL and SEMANTIC alone', () => {
  const by = Object.fromEntries(metrics.map((m) => [m.mode, m]));
  expect(by.HYBRID!.ndcgAt10).toBeGreaterThan(Math.max(by.LEXICAL!.ndcgAt10, by.SEMANTIC!.ndcgAt10));
  expect(by.HYBRID!.recallAt10).toBeGreaterThan(Math.max(by.LEXICAL!.recallAt10, by.SEMANTIC!.recallAt10));
});

/**
 * The seed's three example questions, asked word for word by queries of the
 * set (q59, q07, q15) and judged by their labels. `within` is where the first
 * relevant item must stand: the goal is first for all three (docs/search.md
 * says where each stands and why).
 */
it('ranks a relevant item near the top for the seed\'s three example questions', async () => {
  const labels = (id: string) => dataset.queries.find((q) => q.id === id)!;
  const seed = [
    { like: labels('q59'), within: SEED_WITHIN.q59 },
    { like: labels('q07'), within: SEED_WITHIN.q07 },
    { like: labels('q15'), within: SEED_WITHIN.q15 },
  ].map(({ like, within }) => ({ text: like.text, like, within }));
  const keyOf = new Map([...ids].map(([key, id]) => [id, key]));
  const query = `query($q: String!, $filter: SearchFilter) { search(query: $q, filter: $filter) { hits { entity { ... on Session { id } ... on Pattern { id } ... on Checkpoint { id } } } } }`;
  const found = [];
  for (const { text, like, within } of seed) {
    const token = await stack.token(like.submodule, ['memory:read']);
    const hits: Array<{ entity: { id: string } }> = ok(await graphql(stack.gatewayUrl, query, { q: text, filter: like.filter ?? null }, token)).search.hits;
    const firstRelevant = hits.findIndex((h) => (like.relevant[keyOf.get(h.entity.id) ?? ''] ?? 0) > 0) + 1;
    console.info(`"${text}": first relevant hit at ${firstRelevant}`);
    found.push({ text, withinLimit: firstRelevant >= 1 && firstRelevant <= within });
  }
  expect(found).toEqual(seed.map(({ text }) => ({ text, withinLimit: true })));
});
