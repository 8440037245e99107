import { describe, expect, it } from '@jest/globals';
import type { LexemeFrequencies } from './lexeme-stats.js';
import { candidateQueryText, planCandidates } from './lexical-plan.js';

const stats = (documents: number, shares: Record<string, number>, floor = 0.01): LexemeFrequencies => ({ documents, share: new Map(Object.entries(shares)), floor });

describe('planCandidates', () => {
  const big = stats(100_000, { fix: 0.84, error: 0.5, token: 0.095, refresh: 0.012, race: 0.02 });

  it('keeps every word without statistics, on a small index, or for one word', () => {
    expect(planCandidates(['fix', 'race'], undefined, 3000)).toEqual([['fix'], ['race']]);
    expect(planCandidates(['fix', 'race'], stats(2_000, { fix: 0.8 }), 3000)).toEqual([['fix'], ['race']]);
    expect(planCandidates(['fix'], big, 3000)).toEqual([['fix']]);
  });

  it('draws candidates from the rarest words while they fit the budget', () => {
    // refresh: 1,200 documents, race: 2,000 (3,200 > 3,000: left out), token, error, fix: far over.
    expect(planCandidates(['fix', 'race', 'refresh', 'token'], big, 3000)).toEqual([['refresh']]);
    expect(planCandidates(['fix', 'race', 'refresh', 'token'], big, 3500)).toEqual([['refresh'], ['race']]);
  });

  it('always keeps words rarer than the statistics list, and one listed word besides', () => {
    // "faster" is not listed: it may match nothing, so "make" (the rarest listed word) selects too.
    const s = stats(100_000, { make: 0.023, build: 0.077, ci: 0.3 }, 0.015);
    expect(planCandidates(['build', 'ci', 'faster', 'make'], s, 3000)).toEqual([['faster'], ['make']]);
  });

  it('asks for the rarest listed words together when even the rarest is over the budget', () => {
    const s = stats(100_000, { session: 0.3, show: 0.43 });
    expect(planCandidates(['session', 'show'], s, 3000)).toEqual([['session', 'show']]);
    expect(planCandidates(['authent', 'session', 'show'], s, 3000)).toEqual([['authent'], ['session', 'show']]);
    // login & problem: about 5,000 × 0.1 = 500 documents, within the budget: "fix" is not needed.
    const t = stats(100_000, { login: 0.05, problem: 0.1, fix: 0.84 });
    expect(planCandidates(['fix', 'login', 'problem'], t, 3000)).toEqual([['login', 'problem']]);
  });
});

describe('candidateQueryText', () => {
  it('quotes each lexeme so that it is taken as it is', () => {
    expect(candidateQueryText([['a'], ['b', "it's"], ['back\\slash']])).toBe(`'a' | ('b' & 'it''s') | 'back\\\\slash'`);
  });
});
