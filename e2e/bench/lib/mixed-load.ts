import { performance } from 'node:perf_hooks';
import { latencySummary, round, type LatencySummary } from './stats.js';

/** One request of a mixed load: its operation's name, body and token, and a check of its answer. */
export interface MixedRequest {
  op: string;
  body: string;
  authorization: string;
  /** Checks the answer's `data` (and may record what later requests need); returns a problem or undefined. */
  check(data: any): string | undefined;
}

export interface OperationResult {
  requests: number;
  requestsPerSecond: number;
  failed: number;
  latencyMs: LatencySummary;
}

export interface MixedResult {
  connections: number;
  durationS: number;
  requests: number;
  requestsPerSecond: number;
  failed: number;
  /** The first few failures, for the log. */
  problems: string[];
  latencyMs: LatencySummary;
  byOperation: Record<string, OperationResult>;
}

/**
 * A closed-loop load of different operations: `connections` clients each
 * send `next(client)` as soon as the previous answer arrived, for `durationS`
 * seconds. Every answer is checked (status 200, `data`, no `errors`, then the
 * request's own check); latency is kept per operation. autocannon sends one
 * kind of request per run, hence this loop over fetch.
 */
export async function fireMixed(input: { url: string; connections: number; durationS: number; next: (client: number) => MixedRequest }): Promise<MixedResult> {
  const { url, connections, durationS, next } = input;
  const latencies = new Map<string, number[]>();
  const failedBy = new Map<string, number>();
  const problems: string[] = [];
  const started = performance.now();
  const until = started + durationS * 1000;
  const client = async (n: number) => {
    while (performance.now() < until) {
      const request = next(n);
      const sent = performance.now();
      let problem: string | undefined;
      try {
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: request.authorization }, body: request.body });
        const json = (await response.json()) as { data?: unknown; errors?: unknown[] };
        if (response.status !== 200) problem = `HTTP ${response.status}: ${JSON.stringify(json).slice(0, 200)}`;
        else if (json.errors?.length) problem = `GraphQL errors: ${JSON.stringify(json.errors).slice(0, 200)}`;
        else if (!json.data) problem = 'response without data';
        else problem = request.check(json.data);
      } catch (error) {
        problem = `request failed: ${error instanceof Error ? error.message : String(error)}`;
      }
      const ms = performance.now() - sent;
      if (problem) {
        failedBy.set(request.op, (failedBy.get(request.op) ?? 0) + 1);
        if (problems.length < 5) problems.push(`${request.op}: ${problem}`);
      } else {
        let list = latencies.get(request.op);
        if (!list) latencies.set(request.op, (list = []));
        list.push(ms);
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, (_, n) => client(n)));
  const seconds = (performance.now() - started) / 1000;
  const ops = [...new Set([...latencies.keys(), ...failedBy.keys()])].sort();
  const byOperation: Record<string, OperationResult> = {};
  for (const op of ops) {
    const samples = latencies.get(op) ?? [];
    const failed = failedBy.get(op) ?? 0;
    byOperation[op] = { requests: samples.length + failed, requestsPerSecond: round((samples.length + failed) / seconds, 1)!, failed, latencyMs: latencySummary(samples) };
  }
  const all = ops.flatMap((op) => latencies.get(op) ?? []);
  const failed = [...failedBy.values()].reduce((a, b) => a + b, 0);
  return {
    connections,
    durationS: round(seconds, 2)!,
    requests: all.length + failed,
    requestsPerSecond: round((all.length + failed) / seconds, 1)!,
    failed,
    problems,
    latencyMs: latencySummary(all),
    byOperation,
  };
}
