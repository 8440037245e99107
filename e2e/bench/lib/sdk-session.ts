import type { NewSession } from '@memory-context/sdk';

/** A realistic session an agent queues through the SDK: six messages of a conversation, about 2 KB. */
export function sdkSessionInput(i: number): NewSession {
  const turn = (role: string, n: number) => ({
    role,
    text: `Step ${n} of task ${i}: ${'the build failed on the integration runner because the cache key missed the lockfile hash; '.repeat(3)}`,
  });
  return { title: `Bench session ${i}: fix the CI cache key`, privacyLevel: 'TEAM', tags: ['bench', `batch-${i % 10}`], content: [turn('user', 1), turn('assistant', 2), turn('user', 3), turn('assistant', 4), turn('tool', 5), turn('assistant', 6)] };
}
