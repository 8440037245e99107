import type { EmbeddingProvider } from '../provider.js';
import { EVAL_DOCUMENTS, EVAL_QUERIES, type EvalDocument, type EvalQuery } from './engineering-set.js';

export interface RetrievalScores {
  /** Mean reciprocal rank of the first relevant document. */
  mrr: number;
  /** Mean share of relevant documents found in the top 5 (of at most 5). */
  recallAt5: number;
  /** Mean nDCG@10 with binary relevance. */
  ndcgAt10: number;
  /** Per query: rank of the first relevant document (1-based). */
  firstRanks: number[];
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k]! * b[k]!;
  return s;
}

/** Scores ranked lists given, per query, the ids in rank order. */
export function scoreRankings(queries: readonly EvalQuery[], rankings: readonly string[][]): RetrievalScores {
  let mrr = 0;
  let recall = 0;
  let ndcg = 0;
  const firstRanks: number[] = [];
  queries.forEach((q, i) => {
    const ranked = rankings[i]!;
    const relevant = new Set(q.relevant);
    const first = ranked.findIndex((id) => relevant.has(id));
    firstRanks.push(first + 1);
    mrr += first >= 0 ? 1 / (first + 1) : 0;
    recall += ranked.slice(0, 5).filter((id) => relevant.has(id)).length / Math.min(5, relevant.size);
    let dcg = 0;
    ranked.slice(0, 10).forEach((id, r) => {
      if (relevant.has(id)) dcg += 1 / Math.log2(r + 2);
    });
    let ideal = 0;
    for (let r = 0; r < Math.min(10, relevant.size); r++) ideal += 1 / Math.log2(r + 2);
    ndcg += dcg / ideal;
  });
  const n = queries.length;
  return { mrr: mrr / n, recallAt5: recall / n, ndcgAt10: ndcg / n, firstRanks };
}

/** Ranks the documents for each query by cosine with the provider's vectors. */
export async function evaluateProvider(
  provider: EmbeddingProvider,
  documents: readonly EvalDocument[] = EVAL_DOCUMENTS,
  queries: readonly EvalQuery[] = EVAL_QUERIES,
): Promise<RetrievalScores> {
  const docVectors = await provider.embed(documents.map((d) => d.text));
  const queryVectors = await provider.embed(queries.map((q) => q.text));
  const rankings = queryVectors.map((qv) =>
    documents
      .map((d, i) => ({ id: d.id, score: dot(qv, docVectors[i]!) }))
      .sort((a, b) => b.score - a.score)
      .map((h) => h.id),
  );
  return scoreRankings(queries, rankings);
}
