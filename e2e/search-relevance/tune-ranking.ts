/**
 * Measures the combined ranking on the labeled set, split into "tune" and
 * "holdout" queries, and tries weight variations on the tune split only:
 *
 *   npx tsx e2e/search-relevance/tune-ranking.ts            # current weights, both splits
 *   npx tsx e2e/search-relevance/tune-ranking.ts --search   # + coordinate search over the weights (tune split)
 *
 * The candidates (both rankings, every signal) are gathered once through the
 * search engine of a fresh embedded stack; weights are then applied in
 * process, exactly as the engine applies them (rankCandidates).
 */
import { RANKING, rankCandidates, type Candidates, type RankingWeights } from '@memory-context/search-service/testing';
import { startTestStack } from '../src/index.js';
import { loadDataset, loadEntities, ndcgAt, recallAt, splitOf, type Dataset } from './evaluate.js';

interface Gathered {
  query: Dataset['queries'][number];
  split: 'tune' | 'holdout';
  found: Candidates;
}

function measure(gathered: readonly Gathered[], keyOf: Map<string, string>, w: RankingWeights, split: 'tune' | 'holdout') {
  let ndcg = 0;
  let recall = 0;
  let n = 0;
  for (const g of gathered) {
    if (g.split !== split) continue;
    const ranked = rankCandidates(g.found.candidates, g.found.terms, w, g.found.vector).slice(0, 10).map((r) => keyOf.get(r.id) ?? '?');
    ndcg += ndcgAt(ranked, g.query.relevant, 10);
    recall += recallAt(ranked, g.query.relevant, 10);
    n++;
  }
  return { ndcg: ndcg / n, recall: recall / n };
}

const stack = await startTestStack();
try {
  const dataset = loadDataset();
  const ids = await loadEntities(stack, dataset);
  await stack.search.indexer.catchUp();
  const keyOf = new Map([...ids].map(([key, id]) => [id, key]));
  const gathered: Gathered[] = [];
  for (const [i, query] of dataset.queries.entries()) {
    const filter = { actor: { submoduleId: query.submodule, admin: false }, kinds: query.filter?.kinds as never };
    gathered.push({ query, split: splitOf(query.id), found: await stack.search.engine.candidates(query.text, filter, Number(process.env.DEPTH ?? 50)) });
  }
  const report = (label: string, w: RankingWeights) => {
    const t = measure(gathered, keyOf, w, 'tune');
    const h = measure(gathered, keyOf, w, 'holdout');
    console.info(`${label.padEnd(40)} tune nDCG ${t.ndcg.toFixed(3)} R ${t.recall.toFixed(3)} | holdout nDCG ${h.ndcg.toFixed(3)} R ${h.recall.toFixed(3)}`);
    return t.ndcg;
  };
  report('shipped', RANKING);
  if (process.argv.includes('--ablate')) {
    const off = { ...RANKING, feedback: 0 };
    report('RRF of both rankings only', { ...RANKING, similarity: 0, lexical: 0, fusion: 1, feedback: 0, prior: { SESSION: 0, PATTERN: 0, CHECKPOINT: 0 }, expansion: 0 });
    report('- pseudo-relevance feedback', off);
    report('- concept expansion', { ...RANKING, expansion: 0 });
    report('- field weights (1/1/1)', { ...RANKING, title: 1, tags: 1, body: 1 });
    report('- per-kind priors', { ...RANKING, prior: { SESSION: 0, PATTERN: 0, CHECKPOINT: 0 } });
    report('- BM25F (similarity only)', { ...RANKING, lexical: 0 });
    report('- similarity (BM25F only)', { ...RANKING, similarity: 0, feedback: 0 });
    report('- relevance floor', { ...RANKING, minLexical: 0, minSimilarity: -1 });
    report('- short-document penalty', { ...RANKING, shortPenalty: 0 });
    for (const minLexical of [1e-9, 0.1, 0.2]) for (const minSimilarity of [0, 0.1, 0.15, 0.2, 0.25]) report(`floor ${minLexical} ${minSimilarity}`, { ...RANKING, minLexical, minSimilarity });
    const kept: Gathered[] = [];
    for (const [i, query] of dataset.queries.entries()) {
      const filter = { actor: { submoduleId: query.submodule, admin: false }, kinds: query.filter?.kinds as never };
      kept.push({ query, split: splitOf(query.id), found: await stack.search.engine.candidates(query.text, filter, 50, 'HYBRID', { requestWords: 'keep' }) });
    }
    const t = measure(kept, keyOf, RANKING, 'tune');
    const h = measure(kept, keyOf, RANKING, 'holdout');
    console.info(`${'- request words dropped'.padEnd(40)} tune nDCG ${t.ndcg.toFixed(3)} R ${t.recall.toFixed(3)} | holdout nDCG ${h.ndcg.toFixed(3)} R ${h.recall.toFixed(3)}`);
  }
  if (process.argv.includes('--pool')) {
    for (const g of gathered) {
      const keys = new Set(g.found.candidates.map((c) => keyOf.get(c.id)));
      const wanted = Object.keys(g.query.relevant);
      const top = rankCandidates(g.found.candidates, g.found.terms, RANKING, g.found.vector).slice(0, 10).map((r) => keyOf.get(r.id) ?? '?');
      if (process.argv.includes('--why') && (g.query.relevant[top[0] ?? ""] ?? 0) === 0) {
        const ranked = rankCandidates(g.found.candidates, g.found.terms, RANKING, g.found.vector);
        const title = (key: string) => String((dataset.entities.find((e) => e.key === key) as Record<string, unknown>)?.title ?? (dataset.entities.find((e) => e.key === key) as Record<string, unknown>)?.name ?? '').slice(0, 60);
        ranked.slice(0, 4).forEach((r) => { const k = keyOf.get(r.id)!; console.info(`   top ${k} ${g.query.relevant[k] ?? 0} sim ${r.explanation.similarity?.toFixed(2)} lex ${r.explanation.lexicalScore.toFixed(2)} ${r.explanation.matchedTerms.join(',')} ${title(k)}`); });
        ranked.forEach((r) => { const k = keyOf.get(r.id)!; if (g.query.relevant[k]) console.info(`   rel#${r.explanation.rank} ${k} ${g.query.relevant[k]} sim ${r.explanation.similarity?.toFixed(2)} lex ${r.explanation.lexicalScore.toFixed(2)} ${r.explanation.matchedTerms.join(',')} ${title(k)}`); });
      }
      console.info(`${g.split.padEnd(7)} ${g.query.id} pool ${wanted.filter((k) => keys.has(k)).length}/${wanted.length} nDCG ${ndcgAt(top, g.query.relevant, 10).toFixed(2)} topic "${g.found.topic}" terms ${g.found.terms.filter((t) => t.own).map((t) => t.lexeme).join(',')} +${g.found.terms.filter((t) => !t.own).length}`);
    }
  }
  if (process.argv.includes('--search')) {
    let best = { ...RANKING };
    let bestScore = measure(gathered, keyOf, best, 'tune').ndcg;
    const steps: Record<string, number[]> = {
      similarity: [0.5, 0.75, 1, 1.5, 2],
      lexical: [0, 0.1, 0.2, 0.3, 0.5, 0.8, 1.2],
      fusion: [0, 0.05, 0.1, 0.2, 0.4],
      title: [1, 1.5, 2, 3, 4],
      tags: [0.5, 1, 1.5, 2, 3],
      body: [0.5, 1],
      k1: [0.6, 0.9, 1.2, 1.6, 2.2],
      b: [0, 0.25, 0.5, 0.75, 1],
      expansion: [0, 0.1, 0.2, 0.3, 0.5, 0.8],
      feedback: [0, 0.25, 0.5, 1, 2],
      feedbackDepth: [2, 3, 5, 8],
    };
    for (let round = 0; round < 3; round++) {
      for (const [key, values] of Object.entries(steps)) {
        for (const v of values) {
          const w = { ...best, [key]: v };
          const s = measure(gathered, keyOf, w, 'tune').ndcg;
          if (s > bestScore + 1e-4) {
            best = w;
            bestScore = s;
          }
        }
      }
      for (const kind of ['SESSION', 'PATTERN', 'CHECKPOINT'] as const) {
        for (const v of [-0.1, -0.05, -0.02, 0, 0.02, 0.05, 0.1]) {
          const w = { ...best, prior: { ...best.prior, [kind]: v } };
          const s = measure(gathered, keyOf, w, 'tune').ndcg;
          if (s > bestScore + 1e-4) {
            best = w;
            bestScore = s;
          }
        }
      }
    }
    report('best on tune', best);
    console.info(JSON.stringify(best));
  }
} finally {
  await stack.stop();
}
