import { graphql, ok } from '../src/harness.js';
import { splitOf, type Dataset, type Split } from './load.js';

export { loadDataset, splitOf, type Dataset, type Query, type Split } from './load.js';

export type Mode = 'LEXICAL' | 'SEMANTIC' | 'HYBRID';
export const MODES: Mode[] = ['LEXICAL', 'SEMANTIC', 'HYBRID'];

export interface SplitMetrics {
  recallAt10: number;
  ndcgAt10: number;
}

export interface ModeMetrics extends SplitMetrics {
  mode: Mode;
  /** The same metrics over each half of the queries (see splitOf). */
  splits: Record<Split, SplitMetrics>;
  /** PRIVATE entities of another submodule seen in any result: must be 0. */
  leaks: number;
}

interface StackLike {
  gatewayUrl: string;
  token(submoduleId: string, scopes?: Array<'memory:read' | 'memory:write' | 'memory:admin'>): Promise<string>;
}

const CREATE = {
  session: `mutation($input: CreateSessionInput!) { createSession(input: $input) { id } }`,
  pattern: `mutation($input: RecordPatternInput!) { recordPattern(input: $input) { pattern { id } } }`,
  checkpoint: `mutation($input: CreateCheckpointInput!) { createCheckpoint(input: $input) { id } }`,
};

/** Writes every entity through the gateway, each in its own submodule's name; returns key → id. */
export async function loadEntities(stack: StackLike, dataset: Dataset): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const tokens = new Map<string, string>();
  for (const submodule of new Set(dataset.entities.map((e) => e.submodule))) tokens.set(submodule, await stack.token(submodule));
  for (const { key, type, submodule, ...fields } of dataset.entities) {
    const input = { ...fields, privacyLevel: fields.privacyLevel, idempotencyKey: `relevance-${key}` };
    const data = ok(await graphql(stack.gatewayUrl, CREATE[type], { input }, tokens.get(submodule)));
    ids.set(key, type === 'session' ? data.createSession.id : type === 'pattern' ? data.recordPattern.pattern.id : data.createCheckpoint.id);
  }
  return ids;
}

const SEARCH = `query($query: String!, $filter: SearchFilter, $mode: SearchMode) {
  search(query: $query, filter: $filter, limit: 10, mode: $mode) { hits { entity { ... on Session { id } ... on Pattern { id } ... on Checkpoint { id } } } }
}`;

/** Runs every query in every mode as its asking submodule; recall@10 and nDCG@10 averaged over queries. */
export async function evaluate(stack: StackLike, dataset: Dataset, ids: Map<string, string>, modes: Mode[] = MODES): Promise<ModeMetrics[]> {
  const keyOf = new Map([...ids].map(([key, id]) => [id, key]));
  const privateKeys = new Set(dataset.entities.filter((e) => e.privacyLevel === 'PRIVATE').map((e) => e.key));
  const ownerOf = new Map(dataset.entities.map((e) => [e.key, e.submodule]));
  const tokens = new Map<string, string>();
  const results: ModeMetrics[] = [];
  for (const mode of modes) {
    const sums = { all: { recall: 0, ndcg: 0, n: 0 }, tune: { recall: 0, ndcg: 0, n: 0 }, holdout: { recall: 0, ndcg: 0, n: 0 } };
    let leaks = 0;
    for (const query of dataset.queries) {
      let token = tokens.get(query.submodule);
      if (!token) tokens.set(query.submodule, (token = await stack.token(query.submodule, ['memory:read'])));
      const data = ok(await graphql(stack.gatewayUrl, SEARCH, { query: query.text, filter: query.filter ?? null, mode }, token));
      const ranked: string[] = data.search.hits.map((h: { entity: { id: string } }) => keyOf.get(h.entity.id) ?? 'unknown');
      leaks += ranked.filter((k) => privateKeys.has(k) && ownerOf.get(k) !== query.submodule).length;
      const recall = recallAt(ranked, query.relevant, 10);
      const ndcg = ndcgAt(ranked, query.relevant, 10);
      for (const sum of [sums.all, sums[splitOf(query.id)]]) {
        sum.recall += recall;
        sum.ndcg += ndcg;
        sum.n++;
      }
    }
    const mean = (s: { recall: number; ndcg: number; n: number }): SplitMetrics => ({ recallAt10: s.recall / Math.max(1, s.n), ndcgAt10: s.ndcg / Math.max(1, s.n) });
    results.push({ mode, ...mean(sums.all), splits: { tune: mean(sums.tune), holdout: mean(sums.holdout) }, leaks });
  }
  return results;
}

/** One line per mode: recall@10 and nDCG@10 overall and on each split. */
export function formatMetrics(metrics: readonly ModeMetrics[]): string {
  const f = (m: SplitMetrics) => `recall@10 ${m.recallAt10.toFixed(3)} nDCG@10 ${m.ndcgAt10.toFixed(3)}`;
  return metrics.map((m) => `${m.mode}: ${f(m)} | tune ${f(m.splits.tune)} | holdout ${f(m.splits.holdout)}`).join('\n');
}

export function recallAt(ranked: string[], relevant: Record<string, number>, k: number): number {
  const wanted = Object.keys(relevant);
  if (wanted.length === 0) return 0;
  return ranked.slice(0, k).filter((key) => (relevant[key] ?? 0) > 0).length / wanted.length;
}

/** nDCG with graded gains (2^grade − 1) and the log2 discount. */
export function ndcgAt(ranked: string[], relevant: Record<string, number>, k: number): number {
  const dcg = ranked.slice(0, k).reduce((sum, key, i) => sum + (2 ** (relevant[key] ?? 0) - 1) / Math.log2(i + 2), 0);
  const ideal = Object.values(relevant)
    .sort((a, b) => b - a)
    .slice(0, k)
    .reduce((sum, grade, i) => sum + (2 ** grade - 1) / Math.log2(i + 2), 0);
  return ideal === 0 ? 0 : dcg / ideal;
}
