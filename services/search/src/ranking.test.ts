import { describe, expect, it } from '@jest/globals';
import { idf, RANKING, rankCandidates, type Candidate, type QueryTerm } from './ranking.js';

const term = (lexeme: string, own = true, df = 1): QueryTerm => ({ lexeme, idf: idf(100, df), own });
const doc = (id: string, over: Partial<Candidate> = {}): Candidate => ({ id, kind: 'SESSION', length: 40, terms: new Map(), ...over });
const at = (title: number, tags: number, body: number) => ({ title, tags, body });

describe('rankCandidates', () => {
  it('ranks a word in the title above the same word in the body', () => {
    const ranked = rankCandidates([doc('body', { terms: new Map([['token', at(0, 0, 1)]]) }), doc('title', { terms: new Map([['token', at(1, 0, 0)]]) })], [term('token')], { ...RANKING, title: 3 });
    expect(ranked.map((r) => r.id)).toEqual(['title', 'body']);
  });

  it('weighs rare words above common ones', () => {
    const terms = [term('rare', true, 1), term('common', true, 90)];
    const ranked = rankCandidates([doc('common', { terms: new Map([['common', at(1, 0, 0)]]) }), doc('rare', { terms: new Map([['rare', at(1, 0, 0)]]) })], terms);
    expect(ranked[0]!.id).toBe('rare');
    expect(ranked[0]!.explanation.matchedTerms).toEqual(['rare']);
  });

  it('combines similarity and words, and explains both', () => {
    const ranked = rankCandidates(
      [doc('words', { lexicalRank: 1, similarity: 0.2, terms: new Map([['cache', at(1, 0, 2)]]) }), doc('both', { lexicalRank: 2, semanticRank: 1, similarity: 0.7, terms: new Map([['cache', at(0, 0, 1)]]) })],
      [term('cache'), term('redis', false)],
    );
    expect(ranked[0]).toMatchObject({ id: 'both', explanation: { rank: 1, matchedTerms: ['cache'], lexicalRank: 2, semanticRank: 1, similarity: 0.7 } });
    expect(ranked[1]!.explanation.rank).toBe(2);
  });

  it('leaves out a near-empty document that only looks similar, and anything matching neither words nor meaning', () => {
    const ranked = rankCandidates(
      [doc('empty', { length: 2, similarity: 0.5 }), doc('unrelated', { similarity: 0.05 }), doc('similar', { similarity: 0.4 })],
      [term('timeout')],
    );
    expect(ranked.map((r) => r.id)).toEqual(['similar']);
  });

  it('ranks a near-empty document that matches the words below a full one that matches as well', () => {
    const words = new Map([['timeout', at(1, 0, 0)]]);
    const ranked = rankCandidates([doc('short', { length: 2, terms: words, similarity: 0.4 }), doc('full', { terms: words, similarity: 0.4 })], [term('timeout')]);
    expect(ranked.map((r) => r.id)).toEqual(['full', 'short']);
  });
});
