import { afterAll, beforeAll, expect, it } from 'vitest';
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
const FLOOR = {
  tune: { recallAt10: 0.45, ndcgAt10: 0.49 },
  holdout: { recallAt10: 0.62, ndcgAt10: 0.69 },
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
 * The seed's three example questions, with the kind each names, judged by
 * the labels of the set's query that asks the same (q01 lacks the word
 * "implementation"). Where the first relevant item stands today: the goal is
 * first for all three (docs/search.md says why two are not there yet).
 */
it('ranks a relevant item near the top for the seed\'s three example questions', async () => {
  const labels = (id: string) => dataset.queries.find((q) => q.id === id)!;
  const seed = [
    { text: 'Show me all sessions about authentication implementation', like: labels('q01'), within: 2 },
    { text: 'find patterns related to database migrations', like: labels('q07'), within: 2 },
    { text: 'what have we learned about error handling in Rust', like: labels('q15'), within: 1 },
  ];
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
