import type { DocumentKind } from '@memory-context/vectors';
import { RRF_K } from './fusion.js';

/** How often a word occurs in each field of a document. */
export interface FieldCounts {
  title: number;
  tags: number;
  body: number;
}

/** One document found by either ranking, with what both know about it. */
export interface Candidate {
  id: string;
  kind: DocumentKind;
  /** 1-based rank in the full-text ranking, if it found the document. */
  lexicalRank?: number | undefined;
  /** 1-based rank in the vector ranking, if it found the document. */
  semanticRank?: number | undefined;
  /** Cosine similarity of the query's and the document's vectors (undefined: no vector). */
  similarity?: number | undefined;
  /** Distinct words of the document. */
  length: number;
  /** The query's words (and expansion words) found in it, per field. */
  terms: ReadonlyMap<string, FieldCounts>;
  /** The document's vector (for pseudo-relevance feedback). */
  vector?: Float32Array | undefined;
}

/** A word the ranking looks for: the question's own, or one from the concept table (weighed by `expansion`). */
export interface QueryTerm {
  lexeme: string;
  /** Inverse document frequency: ln(1 + (N − df + ½) / (df + ½)). */
  idf: number;
  /** True for the question's own words (they alone make the relevance floor). */
  own: boolean;
}

export interface RankingWeights {
  /** Weight of the cosine similarity. */
  similarity: number;
  /** Weight of the field-weighted BM25 score (normalised by the query's own words). */
  lexical: number;
  /** Weight of reciprocal-rank fusion of the two rankings (scaled so rank 1 in both gives 1). */
  fusion: number;
  /** BM25F field weights. */
  title: number;
  tags: number;
  body: number;
  /** BM25 saturation and length normalisation. */
  k1: number;
  b: number;
  /** Weight of a concept-table expansion word relative to the question's own words. */
  expansion: number;
  /** Added per kind (priors). */
  prior: Record<DocumentKind, number>;
  /** Documents with fewer distinct words than this are near-empty: they lose `shortPenalty` and pass the floor only by words… */
  minLength: number;
  /** …and lose this much. */
  shortPenalty: number;
  /** Pseudo-relevance feedback: the query vector moves towards the mean of the first pass's top `feedbackDepth` documents… */
  feedbackDepth: number;
  /** …by this much (0: off)… */
  feedback: number;
  /** Relevance floor: a hit needs this share of the question's word weight matched… */
  minLexical: number;
  /** …or at least this similarity. */
  minSimilarity: number;
}

/**
 * The shipped weights, chosen on the "tune" queries of
 * e2e/search-relevance (see docs/search.md for each step's effect).
 */
export const RANKING: RankingWeights = {
  similarity: 1.5,
  lexical: 0.8,
  fusion: 0,
  title: 1,
  tags: 3,
  body: 1,
  k1: 0.6,
  b: 0.75,
  expansion: 0.2,
  prior: { SESSION: 0.02, PATTERN: 0, CHECKPOINT: 0.1 },
  feedbackDepth: 5,
  feedback: 2,
  minLength: 8,
  shortPenalty: 0.3,
  minLexical: 0.1,
  minSimilarity: 0.15,
};

/** Why a hit ranked where it did. */
export interface Explanation {
  /** Question words (stemmed) found in the document, rarest first. */
  matchedTerms: string[];
  /** Concept-table words found in it. */
  expandedTerms: string[];
  lexicalRank: number | undefined;
  semanticRank: number | undefined;
  similarity: number | undefined;
  /** Field-weighted BM25 over the question's words, normalised to about 0–1. */
  lexicalScore: number;
  /** 1-based position after combining. */
  rank: number;
}

export interface Ranked {
  id: string;
  kind: DocumentKind;
  score: number;
  explanation: Explanation;
}

/** Field-weighted BM25 of one document, over the query's words, divided by what the question's own words could add. */
export function lexicalScore(candidate: Candidate, terms: readonly QueryTerm[], averageLength: number, w: RankingWeights = RANKING): number {
  let sum = 0;
  let most = 0;
  for (const term of terms) {
    if (term.own) most += term.idf;
    const counts = candidate.terms.get(term.lexeme);
    if (!counts) continue;
    const tf = w.title * counts.title + w.tags * counts.tags + w.body * counts.body;
    const norm = w.k1 * (1 - w.b + (w.b * candidate.length) / Math.max(1, averageLength));
    sum += (term.own ? 1 : w.expansion) * term.idf * ((tf * (w.k1 + 1)) / (tf + norm));
  }
  return most === 0 ? 0 : sum / (most * (w.k1 + 1));
}

/** Share of the question's own word weight (idf) that the document holds anywhere. */
function coverage(candidate: Candidate, terms: readonly QueryTerm[]): number {
  let held = 0;
  let all = 0;
  for (const t of terms) {
    if (!t.own) continue;
    all += t.idf;
    if (candidate.terms.has(t.lexeme)) held += t.idf;
  }
  return all === 0 ? 0 : held / all;
}

/**
 * Orders the candidates of both rankings by one score: cosine similarity,
 * field-weighted BM25 (question words and, weaker, concept expansions),
 * reciprocal-rank fusion, a per-kind prior, less for near-empty documents.
 * Candidates below the relevance floor (too little of the question matched
 * and too little similarity) are left out.
 */
export function rankCandidates(candidates: readonly Candidate[], terms: readonly QueryTerm[], w: RankingWeights = RANKING, queryVector?: Float32Array): Ranked[] {
  const averageLength = candidates.reduce((s, c) => s + c.length, 0) / Math.max(1, candidates.length);
  const own = terms.filter((t) => t.own).sort((a, b) => b.idf - a.idf);
  const expanded = terms.filter((t) => !t.own);
  const score = (c: Candidate, similarity: number) => {
    const lexical = lexicalScore(c, terms, averageLength, w);
    const fusion = ((c.lexicalRank ? 1 / (RRF_K + c.lexicalRank) : 0) + (c.semanticRank ? 1 / (RRF_K + c.semanticRank) : 0)) * ((RRF_K + 1) / 2);
    let total = w.similarity * similarity + w.lexical * lexical + w.fusion * fusion + w.prior[c.kind];
    if (c.length < w.minLength) total -= w.shortPenalty;
    return { total, lexical };
  };
  let similarityOf = (c: Candidate) => c.similarity ?? 0;
  if (w.feedback > 0 && queryVector && w.similarity > 0) {
    const first = candidates.map((c) => ({ c, s: score(c, similarityOf(c)).total })).sort((a, b) => b.s - a.s);
    const moved = new Float32Array(queryVector);
    let used = 0;
    for (const { c } of first.slice(0, w.feedbackDepth)) {
      if (!c.vector) continue;
      for (let k = 0; k < moved.length; k++) moved[k]! += (w.feedback / w.feedbackDepth) * c.vector[k]!;
      used++;
    }
    if (used > 0) {
      const norm = Math.hypot(...moved) || 1;
      similarityOf = (c) => (c.vector ? dot(moved, c.vector) / norm : (c.similarity ?? 0));
    }
  }
  const scored = candidates.map((c) => {
    const similarity = similarityOf(c);
    const { total, lexical } = score(c, similarity);
    // A near-empty document's vector says little (a title word or two): it needs the question's words.
    const relevant = coverage(c, terms) >= w.minLexical || (c.length >= w.minLength && (c.similarity ?? 0) >= w.minSimilarity);
    return { c, score: total, lexical, relevant };
  });
  return scored
    .filter((s) => s.relevant)
    .sort((a, b) => b.score - a.score || a.c.id.localeCompare(b.c.id))
    .map(({ c, score, lexical }, i) => ({
      id: c.id,
      kind: c.kind,
      score,
      explanation: {
        matchedTerms: own.filter((t) => c.terms.has(t.lexeme)).map((t) => t.lexeme),
        expandedTerms: expanded.filter((t) => c.terms.has(t.lexeme)).map((t) => t.lexeme),
        lexicalRank: c.lexicalRank,
        semanticRank: c.semanticRank,
        similarity: c.similarity,
        lexicalScore: lexical,
        rank: i + 1,
      },
    }));
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let k = 0; k < Math.min(a.length, b.length); k++) s += a[k]! * b[k]!;
  return s;
}

export function idf(documents: number, df: number): number {
  return Math.log(1 + (documents - df + 0.5) / (df + 0.5));
}
