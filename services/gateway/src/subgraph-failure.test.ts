import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { parse } from 'graphql';
import { describe, expect, it } from '@jest/globals';
import { fetchPath, subgraphFailure } from './subgraph-failure.js';
import { SubgraphRequestError } from './subgraph-fetch.js';

function fetchOptions(query: string, pathInIncomingRequest: Array<string | number>, withDocument = true): GraphQLDataSourceProcessOptions {
  return { request: { query }, pathInIncomingRequest, ...(withDocument ? { document: parse(query) } : {}) } as unknown as GraphQLDataSourceProcessOptions;
}

describe('fetchPath', () => {
  it('is the first root field (by alias) of a root fetch, parsed from the query when no document is given', () => {
    expect(fetchPath(fetchOptions('{ recent: sessions(first: 1) { nodes { id } } submodules { id } }', []))).toEqual(['recent']);
    expect(fetchPath(fetchOptions('mutation { createSession(input: {}) { id } }', [], false))).toEqual(['createSession']);
  });

  it('is where the entities sit for an entity fetch, up to the first list', () => {
    const entities = 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Session { patterns { id } } } }';
    expect(fetchPath(fetchOptions(entities, ['sessions', 'nodes', '@']))).toEqual(['sessions', 'nodes']);
    expect(fetchPath(fetchOptions(entities, ['session']))).toEqual(['session']);
  });
});

describe('subgraphFailure', () => {
  it('leaves errors it does not know for the formatter', () => {
    const bug = new Error('planner bug');
    expect(subgraphFailure('sessions', bug, ['session'])).toBe(bug);
  });

  it('gives an unreachable subgraph no path when the fetch has none', () => {
    const error = subgraphFailure('search', new SubgraphRequestError('http://10.0.0.1:4004/graphql', new Error('boom')), []) as { path?: unknown; message: string };
    expect(error.path).toBeUndefined();
    expect(error.message).toBe('The search service is unavailable; try again later.');
  });
});
