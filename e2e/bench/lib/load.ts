import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import autocannon, { type AutocannonResult } from 'autocannon';
import { MachineCpu, type CpuCores } from './machine-cpu.js';
import { latencySummary, round, type LatencySummary } from './stats.js';

const HOOKS = join(dirname(fileURLToPath(import.meta.url)), '..', 'hooks');
const hook = (name: string) => join(HOOKS, `${name}.cjs`);

/** One request of a load run: a body and the token it is sent with. */
export interface LoadItem {
  body: string;
  authorization: string;
}

export interface FireOptions {
  url: string;
  /** Bodies rotated over (reads) … */
  items?: LoadItem[];
  /** … or one whose `__UNIQUE__` is replaced by a fresh UUID per request (writes). */
  template?: LoadItem;
  connections: number;
  durationS: number;
  /** autocannon worker threads; 0 fires from this thread (default 1). */
  workers?: number;
  timeoutS?: number;
}

// Every response time, at sub-millisecond precision (autocannon's own histogram keeps whole ms).
const CAPACITY = 4_000_000;
const latencyBuffer = new SharedArrayBuffer(CAPACITY * Float64Array.BYTES_PER_ELEMENT);
const countBuffer = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
const latencyView = new Float64Array(latencyBuffer);
const countView = new Int32Array(countBuffer);

/**
 * Fires a closed-loop load with autocannon and the repository's hooks
 * (e2e/bench/hooks): per-request token and body, every response time
 * recorded, and a response counted good only with `data` and no `errors`.
 * Returns autocannon's result and the response times (ms, unsorted).
 */
export async function fire(options: FireOptions): Promise<{ result: AutocannonResult; samples: Float64Array }> {
  const { url, items, template, connections, durationS, workers = 1, timeoutS = 20 } = options;
  Atomics.store(countView, 0, 0);
  const memctxBench = {
    ...(items ? { items: items.map(({ body, authorization }) => ({ body, authorization })) } : {}),
    ...(template ? { template: { body: template.body, authorization: template.authorization } } : {}),
    latencies: latencyBuffer,
    count: countBuffer,
  };
  (globalThis as { __memctxBench?: unknown }).__memctxBench = memctxBench;
  const result: AutocannonResult = await autocannon({
    url,
    connections,
    duration: durationS,
    ...(workers > 0 ? { workers } : {}),
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [{ setupRequest: hook('setup-request') }],
    setupClient: hook('setup-client'),
    verifyBody: hook('verify-body'),
    timeout: timeoutS,
    memctxBench,
  });
  const n = Math.min(Atomics.load(countView, 0), CAPACITY);
  return { result, samples: Float64Array.from(latencyView.subarray(0, n)) };
}

/** POSTs one body; returns the parsed JSON or a problem (HTTP status, GraphQL errors, no data). */
export async function post(url: string, item: LoadItem): Promise<{ ms: number; json?: { data?: any; errors?: unknown[] }; problem?: string }> {
  const started = performance.now();
  try {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: item.authorization }, body: item.body });
    const text = await response.text();
    const ms = performance.now() - started;
    let json: { data?: any; errors?: unknown[] };
    try {
      json = JSON.parse(text) as typeof json;
    } catch {
      return { ms, problem: `HTTP ${response.status}, not JSON: ${text.slice(0, 160)}` };
    }
    if (response.status !== 200) return { ms, json, problem: `HTTP ${response.status}: ${text.slice(0, 200)}` };
    if (json.errors?.length) return { ms, json, problem: `GraphQL errors: ${JSON.stringify(json.errors).slice(0, 200)}` };
    if (!json.data) return { ms, json, problem: 'response without data' };
    return { ms, json };
  } catch (error) {
    return { ms: performance.now() - started, problem: `request failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Sends `count` requests one by one and checks each answer in full (data shape, not just "no errors"). */
export async function sampleCheck(url: string, next: () => LoadItem, check: (data: any, item: LoadItem) => string | undefined, count = 4): Promise<string[]> {
  const problems: string[] = [];
  for (let i = 0; i < count; i++) {
    const item = next();
    const r = await post(url, item);
    const problem = r.problem ?? check(r.json!.data, item);
    if (problem) problems.push(problem);
  }
  return problems;
}

/** Failed requests of an autocannon run, by kind. */
export function failures(result: AutocannonResult | undefined) {
  return { non2xx: result?.non2xx ?? 0, graphqlErrors: result?.mismatches ?? 0, connectionErrors: result?.errors ?? 0, timeouts: result?.timeouts ?? 0 };
}

export interface LoadResult {
  key: string;
  url: string;
  connections: number;
  durationS: number;
  requests: number;
  requestsPerSecond: number;
  latencyMs: LatencySummary;
  /** Responses not 2xx, or 2xx without `data` / with `errors` (autocannon `mismatches`). */
  non2xx: number;
  graphqlErrors: number;
  connectionErrors: number;
  timeouts: number;
  /** Problems found by sequential requests checked in full before and after the run. */
  sampleProblems: string[];
  /** Event-loop utilisation of this process's main thread (gateway, subgraphs and PGlite): 1 = saturated. */
  serverThreadBusy: number;
  cpuCores: CpuCores | null;
  ok: boolean;
}

/**
 * A closed-loop load run: `connections` clients each send the next item as
 * soon as the previous answer arrived, for `durationS` seconds after
 * `warmupS` unmeasured ones, with a few fully checked requests before and after.
 */
export async function measureLoad(input: {
  key: string;
  url: string;
  items: LoadItem[];
  connections: number;
  durationS: number;
  warmupS: number;
  check: (data: any) => string | undefined;
  log: (line: string) => void;
}): Promise<LoadResult> {
  const { key, url, items, connections, durationS, warmupS, check, log } = input;
  const sample = () => sampleCheck(url, () => items[Math.floor(Math.random() * items.length)]!, check);
  const before = await sample();
  if (warmupS > 0) await fire({ url, items, connections, durationS: warmupS });
  const elu = performance.eventLoopUtilization();
  const cpu = new MachineCpu();
  const { result, samples } = await fire({ url, items, connections, durationS });
  const serverThreadBusy = performance.eventLoopUtilization(elu).utilization;
  const cpuCores = cpu.stop();
  const after = await sample();
  const requests = result.latency.totalCount + result.non2xx;
  const failed = failures(result);
  const out: LoadResult = {
    key,
    url,
    connections,
    durationS: result.duration,
    requests,
    requestsPerSecond: round(requests / result.duration, 1)!,
    latencyMs: latencySummary(samples),
    ...failed,
    sampleProblems: [...before, ...after],
    serverThreadBusy: round(serverThreadBusy, 3)!,
    cpuCores,
    ok: false,
  };
  const errors = out.non2xx + out.graphqlErrors + out.connectionErrors + out.timeouts;
  out.ok = requests > 0 && errors === 0 && out.sampleProblems.length === 0;
  log(
    `  ${key}: ${out.ok ? '' : 'FAILED '}${out.requestsPerSecond} req/s, p50 ${out.latencyMs.p50} ms, p95 ${out.latencyMs.p95} ms, p99 ${out.latencyMs.p99} ms` +
      ` (${requests} requests, errors ${errors}, server thread ${Math.round(serverThreadBusy * 100)}% busy,` +
      ` other processes ${cpuCores?.otherCores ?? '?'} cores)${out.sampleProblems.length ? ` sample problems: ${out.sampleProblems.slice(0, 2).join(' | ')}` : ''}`,
  );
  return out;
}
