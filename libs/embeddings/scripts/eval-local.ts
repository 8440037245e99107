/**
 * Tuning aid: retrieval scores of the local provider on the small labelled
 * engineering set, beside a word-overlap baseline, plus a few word pairs.
 *
 *   npx tsx libs/embeddings/scripts/eval-local.ts [--file data/other.mcwv] [--tuning '{"keepOwn":0.4}'] [--no-concepts]
 */
import { readFileSync } from 'node:fs';
import { EVAL_DOCUMENTS, EVAL_QUERIES } from '../src/eval/engineering-set.js';
import { dot, evaluateProvider, scoreRankings } from '../src/eval/metrics.js';
import { LocalEmbeddingProvider, loadShippedVectorsSync } from '../src/local/local-provider.js';
import { tokenize } from '../src/local/tokenize.js';
import { decodeWordVectors } from '../src/local/vector-file.js';

const flag = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const file = flag('file');
const vectors = file ? decodeWordVectors(readFileSync(file)) : loadShippedVectorsSync();
const tuningArg = flag('tuning');
const provider = new LocalEmbeddingProvider(vectors, {
  ...(tuningArg ? { tuning: JSON.parse(tuningArg) as Record<string, number> } : {}),
  ...(process.argv.includes('--no-concepts') ? { concepts: [] } : {}),
});

// Word-overlap baseline (what lexical search can do at best without stemming tricks).
const bag = (t: string) => new Set(tokenize(t).flatMap((w) => [w.text, ...(w.parts ?? [])]).filter((w) => w.length > 2));
const lexical = scoreRankings(
  EVAL_QUERIES,
  EVAL_QUERIES.map((q) => {
    const qb = bag(q.text);
    return EVAL_DOCUMENTS.map((d) => {
      const db = bag(d.text);
      let s = 0;
      for (const w of qb) if (db.has(w)) s++;
      return { id: d.id, s };
    })
      .sort((a, b) => b.s - a.s)
      .map((h) => h.id);
  }),
);

const scores = await evaluateProvider(provider);
const fmt = (s: { mrr: number; recallAt5: number; ndcgAt10: number }) =>
  `MRR ${s.mrr.toFixed(3)}  R@5 ${s.recallAt5.toFixed(3)}  nDCG@10 ${s.ndcgAt10.toFixed(3)}`;
console.log(`${provider.modelId} (${vectors.words.length} words)`);
console.log(`local   ${fmt(scores)}`);
console.log(`overlap ${fmt(lexical)}`);
const worst = EVAL_QUERIES.map((q, i) => [q.text, scores.firstRanks[i]!] as const).filter(([, r]) => r !== 1);
console.log('first relevant rank ≠ 1:', worst.map(([t, r]) => `${t} → ${r}`).join('; '));

const pairs: Array<[string, string, string]> = [
  ['login', 'authentication', 'database'],
  ['db', 'postgres', 'login'],
  ['k8s', 'kubernetes', 'database'],
  ['ci', 'pipeline', 'database'],
  ['error', 'exception', 'database'],
  ['panic', 'crash', 'login'],
  ['sign-in', 'login', 'migration'],
  ['getUserById', 'getUserById', 'listOrders'],
];
for (const [a, b, c] of pairs) {
  const [va, vb, vc] = await provider.embed([a, b, c]);
  console.log(`${a}~${b} ${dot(va!, vb!).toFixed(3)}   ${a}~${c} ${dot(va!, vc!).toFixed(3)}`);
}
const start = performance.now();
const texts = Array.from({ length: 5000 }, (_, i) => EVAL_DOCUMENTS[i % EVAL_DOCUMENTS.length]!.text + ` item ${i}`);
provider.embedSync(texts);
const ms = performance.now() - start;
console.log(`throughput: ${Math.round((texts.length / ms) * 1000)} texts/s (≈${Math.round(texts.reduce((s, t) => s + t.length, 0) / texts.length)} chars each)`);
