import { expect, it } from '@jest/globals';
import { apiSchemaSdl, composeSupergraph, readCommittedApiSchema, readCommittedSupergraph, subgraphFiles } from './compose.js';

it('the committed supergraph is what `npm run compose` produces now', () => {
  expect(readCommittedSupergraph(), 'schema/supergraph.graphql is stale: run `npm run compose` and commit it').toBe(composeSupergraph());
});

it('composes every subgraph schema present', () => {
  const names = subgraphFiles().map((s) => s.name);
  expect(names).toContain('sessions');
  for (const name of names) expect(readCommittedSupergraph()).toContain(`name: "${name}"`);
});

it('the committed client schema (schema/api.graphql) is fresh too', async () => {
  expect(readCommittedApiSchema(), 'schema/api.graphql is stale: run `npm run compose` and commit it').toBe(await apiSchemaSdl(composeSupergraph()));
});
