import { readFileSync } from 'node:fs';
import { expect, it } from '@jest/globals';
import { generateResolverTypes } from '../../../codegen-resolvers.js';

it('src/generated/resolvers-types.ts is what `npm run codegen:resolvers` makes of schema/search.graphql', async () => {
  const committed = readFileSync(new URL('./resolvers-types.ts', import.meta.url), 'utf8');
  expect(committed === (await generateResolverTypes('search')), 'The generated resolver types are stale: run `npm run codegen:resolvers` and commit the result.').toBe(true);
}, 60_000);
