import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { checkpointChanges, checkpoints, patternChanges, patterns, sessionChanges, sessions } from '@memory-context/db';
import { startTestStack, type TestStack } from '../../src/harness.js';
import { seedCorpus } from './seed.js';

describe('seedCorpus (the search bench data)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('writes every entity and its change row through the stores, and the indexer takes in all of them once published', async () => {
    const { db } = stack.deps.database;
    const { summary, publish } = await seedCorpus(stack, 40, () => {});
    expect(summary).toMatchObject({ sessions: 34, patterns: 4, checkpoints: 2 });
    await publish();

    const rows = (table: typeof sessions | typeof sessionChanges | typeof patterns | typeof patternChanges | typeof checkpoints | typeof checkpointChanges) => db.$count(table);
    expect(await rows(sessions)).toBe(34);
    expect(await rows(sessionChanges)).toBe(34);
    expect(await rows(patterns)).toBe(4);
    expect(await rows(patternChanges)).toBe(4);
    expect(await rows(checkpoints)).toBe(2);
    expect(await rows(checkpointChanges)).toBe(2);

    await stack.search.indexer.catchUp();
    expect((await stack.search.indexer.lag()).every((feed) => feed.lag === 0)).toBe(true);
  });

  it('refuses a size that is not a positive whole number', async () => {
    await expect(seedCorpus(stack, 0, () => {})).rejects.toThrow('a positive whole number');
    await expect(seedCorpus(stack, 2.5, () => {})).rejects.toThrow('a positive whole number');
  });
});
