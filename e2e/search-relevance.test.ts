import { afterAll, beforeAll, expect, it } from 'vitest';
import { evaluate, formatMetrics, loadDataset, loadEntities, ndcgAt, recallAt, type ModeMetrics } from './search-relevance/evaluate.js';
import { startTestStack, type TestStack } from './src/index.js';

let stack: TestStack;
let metrics: ModeMetrics[];

beforeAll(async () => {
  stack = await startTestStack();
  const dataset = loadDataset();
  const ids = await loadEntities(stack, dataset);
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

it('HYBRID beats LEXICAL on the labeled set with the local embeddings', () => {
  const by = Object.fromEntries(metrics.map((m) => [m.mode, m]));
  console.info(formatMetrics(metrics));
  expect(by.HYBRID!.ndcgAt10).toBeGreaterThan(by.LEXICAL!.ndcgAt10);
  expect(by.HYBRID!.recallAt10).toBeGreaterThan(by.LEXICAL!.recallAt10);
});
