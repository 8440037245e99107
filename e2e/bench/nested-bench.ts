/**
 * Nested query figures: `npx tsx e2e/bench/nested-bench.ts [--quick]`, or
 * `runNestedBench(options)` from `npm run bench`.
 *
 * One query walks three subgraphs:
 *   { sessions(first: 50) { nodes { id title patterns { id name occurrences } checkpoints { id title } } } }
 * The embedded stack (in-memory PGlite, or a fresh database on
 * MEMCTX_DATABASE_URL's server) is seeded through the gateway with real
 * mutations: sessions, patterns recorded from some of them
 * (`sourceSessionIds`), checkpoints linking others (`sessionIds`). Then:
 *
 * - load: 32 concurrent connections (autocannon in a worker thread), p50/p95/p99,
 *   req/s, failed requests; the same page without the nested fields, and the
 *   nested query on 1 connection, for comparison;
 * - subgraph fetches per query: the Prometheus counter
 *   memctx_http_request_duration_seconds_count{route="/graphql"} of each
 *   service (all services share one registry in the embedded process), read
 *   from the gateway's /metrics before and after one query, for several page
 *   sizes: a constant count means the gateway batches the entity fetches.
 *
 * Writes e2e/bench/results/nested.json and e2e/bench/results/nested-section.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { benchArgs, optionalNumberArg } from './lib/cli.js';
import { makeGenerator, SUBMODULES } from './lib/corpus.js';
import { measureLoad, post, type LoadItem, type LoadResult } from './lib/load.js';
import { describeMachine, machineInfo, type Machine } from './lib/machine.js';
import { startBenchStack, tokensOf } from './lib/stack.js';
import { latencySummary, round } from './lib/stats.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');

const NESTED = (first: number) => `{ sessions(first: ${first}) { nodes { id title patterns { id name occurrences } checkpoints { id title } } } }`;
const FLAT = (first: number) => `{ sessions(first: ${first}) { nodes { id title } } }`;
const CREATE_SESSION = `mutation Create($input: CreateSessionInput!) { createSession(input: $input) { id submoduleId privacyLevel } }`;
const RECORD_PATTERN = `mutation Record($input: RecordPatternInput!) { recordPattern(input: $input) { outcome pattern { id } } }`;
const CREATE_CHECKPOINT = `mutation Checkpoint($input: CreateCheckpointInput!) { createCheckpoint(input: $input) { id } }`;
const SERVICES = ['gateway', 'sessions', 'patterns', 'checkpoints', 'search'] as const;
type Service = (typeof SERVICES)[number];

export interface NestedBenchOptions {
  /** Sessions seeded (default 500; quick 200). */
  sessions?: number;
  /** Patterns recorded, each from 1–4 sessions (default 200; quick 80). */
  patterns?: number;
  /** Checkpoints, each linking 3–15 sessions (default 50; quick 20). */
  checkpoints?: number;
  /** Concurrent connections (default 32). */
  connections?: number;
  /** Measured seconds per load run (default 10; quick 3). */
  durationS?: number;
  /** Unmeasured seconds before each load run (default 2; quick 1). */
  warmupS?: number;
  /** Page sizes whose subgraph fetches are counted (default 1, 10, 50, 100). */
  pageSizes?: number[];
  quick?: boolean;
  log?: (line: string) => void;
}

export interface FetchCount {
  query: 'nested' | 'flat';
  first: number;
  /** Sessions on the page, and the links it carried. */
  nodes: number;
  patternLinks: number;
  checkpointLinks: number;
  /** HTTP requests to /graphql of each service during one query (the gateway's own included). */
  requests: Record<Service, number>;
  /** Requests to the subgraphs (sessions + patterns + checkpoints + search). */
  subgraphFetches: number;
  /** The same over 5 repetitions (all must agree). */
  repetitions: number[];
  /** Mean time each service spent answering its /graphql requests of one query (server-side, from the histogram's sum). */
  serverMs: Record<Service, number>;
}

export interface NestedBenchResult {
  generatedAt: string;
  command: string;
  machine: Machine;
  database: 'pglite' | 'postgres';
  databaseVersion: string;
  options: Required<Omit<NestedBenchOptions, 'log' | 'quick'>> & { quick: boolean };
  seed: {
    sessions: number;
    patterns: { recorded: number; created: number; merged: number; links: number };
    checkpoints: { created: number; links: number };
    seconds: number;
    readerSubmodule: string;
    /** On the page of 50 the reader gets: sessions, and how many have ≥ 1 pattern / checkpoint. */
    firstPage: { nodes: number; withPatterns: number; withCheckpoints: number; patternLinks: number; checkpointLinks: number };
  };
  load: LoadResult[];
  fetches: FetchCount[];
  /** Fetches per query if the gateway resolved the nested fields once per session. */
  perSessionWouldBe: Record<string, number>;
  goals: Array<{ goal: string; target: string; measured: number | string | null; met: boolean | null; note?: string }>;
  allRequestsSucceeded: boolean;
  maxOtherCores: number;
  totalSeconds: number;
}

/** Sums memctx_http_request_duration_seconds_{count,sum} by service for route /graphql. */
async function graphqlRequestCounts(metricsUrl: string): Promise<{ count: Record<Service, number>; seconds: Record<Service, number> }> {
  const text = await (await fetch(metricsUrl)).text();
  const count = Object.fromEntries(SERVICES.map((s) => [s, 0])) as Record<Service, number>;
  const seconds = Object.fromEntries(SERVICES.map((s) => [s, 0])) as Record<Service, number>;
  for (const line of text.split('\n')) {
    const kind = line.startsWith('memctx_http_request_duration_seconds_count{') ? 'count' : line.startsWith('memctx_http_request_duration_seconds_sum{') ? 'sum' : undefined;
    if (!kind) continue;
    const labels = Object.fromEntries([...line.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (labels.route !== '/graphql' || !(labels.service! in count)) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (kind === 'count') count[labels.service as Service] += value;
    else seconds[labels.service as Service] += value;
  }
  return { count, seconds };
}

export async function runNestedBench(input: NestedBenchOptions = {}): Promise<NestedBenchResult> {
  const quick = input.quick === true;
  const options = {
    sessions: input.sessions ?? (quick ? 200 : 500),
    patterns: input.patterns ?? (quick ? 80 : 200),
    checkpoints: input.checkpoints ?? (quick ? 20 : 50),
    connections: input.connections ?? 32,
    durationS: input.durationS ?? (quick ? 3 : 10),
    warmupS: input.warmupS ?? (quick ? 1 : 2),
    pageSizes: input.pageSizes ?? [1, 10, 50, 100],
    quick,
  };
  const log = input.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const started = performance.now();
  const machine = machineInfo();
  log(`Nested bench: ${describeMachine(machine)}`);
  const bench = await startBenchStack();
  const { stack, database, databaseVersion } = bench;
  try {
    const { graphql, ok } = await import('../src/harness.js');
    const tokens: Record<string, string> = await tokensOf(stack, SUBMODULES);
    const readerSubmodule = SUBMODULES[0];
    const reader = tokens[readerSubmodule]!;
    const gen = makeGenerator(4242);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(gen.random() * list.length)]!;

    // ------------------------------------------------------------ seed through the gateway
    const seedStarted = performance.now();
    log(`Seeding through the gateway: ${options.sessions} sessions, ${options.patterns} patterns, ${options.checkpoints} checkpoints`);
    const seeded: Array<{ id: string; submoduleId: string; privacyLevel: string }> = [];
    const inParallel = async (count: number, task: (i: number) => Promise<void>) => {
      let next = 0;
      await Promise.all(Array.from({ length: 8 }, async () => {
        while (next < count) await task(next++);
      }));
    };
    await inParallel(options.sessions, async (i) => {
      const s = gen.session(new Date(Date.UTC(2026, 0, 1) + i * 3_600_000));
      const { submoduleId, ...fields } = s;
      const data = ok(await graphql(stack.gatewayUrl, CREATE_SESSION, { input: { ...fields, tags: fields.tags } }, tokens[submoduleId]));
      seeded.push(data.createSession);
    });
    // A recorder may link sessions it can read: PUBLIC/TEAM of anyone, its own PRIVATE ones.
    const readableBy = (submodule: string) => seeded.filter((s) => s.privacyLevel !== 'PRIVATE' || s.submoduleId === submodule);
    const sample = <T>(list: T[], n: number) => {
      const out = new Set<T>();
      while (out.size < Math.min(n, list.length)) out.add(pick(list));
      return [...out];
    };
    let created = 0;
    let merged = 0;
    let patternLinks = 0;
    const lessons: Array<ReturnType<typeof gen.pattern>> = [];
    await inParallel(options.patterns, async (i) => {
      // One in ten re-records an earlier lesson (same kind, name and body, same owner) from other
      // sessions: a merge, as in real use.
      const p = i % 10 === 9 && lessons[i - 9] ? lessons[i - 9]! : gen.pattern(i);
      lessons[i] = p;
      const submodule = p.submoduleId;
      const sources = sample(readableBy(submodule), 1 + Math.floor(gen.random() * 4)).map((s) => s.id);
      const data = ok(
        await graphql(stack.gatewayUrl, RECORD_PATTERN, { input: { kind: p.kind, name: p.name, description: p.description, body: p.body, tags: p.tags, privacyLevel: p.privacyLevel, sourceSessionIds: sources } }, tokens[submodule]),
      );
      if (data.recordPattern.outcome === 'MERGED') merged++;
      else created++;
      patternLinks += sources.length;
    });
    let checkpointLinks = 0;
    await inParallel(options.checkpoints, async () => {
      const c = gen.checkpoint();
      const sessionIds = sample(readableBy(c.submoduleId), 3 + Math.floor(gen.random() * 13)).map((s) => s.id);
      ok(await graphql(stack.gatewayUrl, CREATE_CHECKPOINT, { input: { title: c.title, gitRef: c.gitRef, summary: c.summary, content: c.content, privacyLevel: c.privacyLevel, sessionIds } }, tokens[c.submoduleId]));
      checkpointLinks += sessionIds.length;
    });
    await stack.deps.audit.flush();
    // Let the background work the writes triggered (search indexer, feed followers) finish first.
    await stack.search.indexer.catchUp();
    await stack.patterns.catchUp();
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const page = ok(await graphql(stack.gatewayUrl, NESTED(50), {}, reader)).sessions.nodes as Array<{ patterns: unknown[]; checkpoints: unknown[] }>;
    const firstPage = {
      nodes: page.length,
      withPatterns: page.filter((n) => n.patterns.length > 0).length,
      withCheckpoints: page.filter((n) => n.checkpoints.length > 0).length,
      patternLinks: page.reduce((n, s) => n + s.patterns.length, 0),
      checkpointLinks: page.reduce((n, s) => n + s.checkpoints.length, 0),
    };
    log(`  seeded in ${seedSeconds.toFixed(1)} s; patterns ${created} created + ${merged} merged; first page for ${readerSubmodule}: ${JSON.stringify(firstPage)}`);

    // ------------------------------------------------------------ subgraph fetches per query
    const metricsUrl = stack.gatewayUrl.replace(/\/graphql$/, '/metrics');
    const fetches: FetchCount[] = [];
    for (const [kind, make] of [['nested', NESTED], ['flat', FLAT]] as const) {
      for (const first of kind === 'nested' ? options.pageSizes : [50]) {
        const repetitions: number[] = [];
        const serverMs = Object.fromEntries(SERVICES.map((x) => [x, 0])) as Record<Service, number>;
        const REPEAT = 5;
        let last: { requests: Record<Service, number>; nodes: any[] } | undefined;
        for (let r = 0; r < REPEAT; r++) {
          const before = await graphqlRequestCounts(metricsUrl);
          const response = await graphql(stack.gatewayUrl, make(first), {}, reader);
          const nodes = ok(response).sessions.nodes as any[];
          const after = await graphqlRequestCounts(metricsUrl);
          const requests = Object.fromEntries(SERVICES.map((x) => [x, after.count[x] - before.count[x]])) as Record<Service, number>;
          for (const x of SERVICES) serverMs[x] += ((after.seconds[x] - before.seconds[x]) * 1000) / REPEAT;
          repetitions.push(requests.sessions + requests.patterns + requests.checkpoints + requests.search);
          last = { requests, nodes };
        }
        const nodes = last!.nodes;
        const entry: FetchCount = {
          query: kind,
          first,
          nodes: nodes.length,
          patternLinks: nodes.reduce((n, x) => n + (x.patterns?.length ?? 0), 0),
          checkpointLinks: nodes.reduce((n, x) => n + (x.checkpoints?.length ?? 0), 0),
          requests: last!.requests,
          subgraphFetches: repetitions[0]!,
          repetitions,
          serverMs: Object.fromEntries(SERVICES.map((x) => [x, round(serverMs[x], 2)!])) as Record<Service, number>,
        };
        fetches.push(entry);
        log(`  ${kind} sessions(first: ${first}): ${entry.nodes} sessions → ${JSON.stringify(entry.requests)} (subgraph fetches over ${REPEAT} runs: ${repetitions.join(', ')}; server ms per query ${JSON.stringify(entry.serverMs)})`);
      }
    }

    // ------------------------------------------------------------ load
    const expected = firstPage.nodes;
    const checkNested = (data: any) => {
      const nodes = data?.sessions?.nodes;
      if (!Array.isArray(nodes) || nodes.length !== expected) return `expected ${expected} sessions, got ${Array.isArray(nodes) ? nodes.length : 'none'}`;
      if (!nodes.every((n: any) => Array.isArray(n.patterns) && Array.isArray(n.checkpoints))) return 'a session without its patterns/checkpoints lists';
      const links = nodes.reduce((n: number, s: any) => n + s.patterns.length + s.checkpoints.length, 0);
      return links === 0 ? 'no pattern or checkpoint on the page' : undefined;
    };
    const checkFlat = (data: any) => (Array.isArray(data?.sessions?.nodes) && data.sessions.nodes.length === expected ? undefined : 'wrong page size');
    const items = (query: string): LoadItem[] => [{ body: JSON.stringify({ query }), authorization: `Bearer ${reader}` }];
    const load: LoadResult[] = [];
    const run = (key: string, query: string, connections: number, check: (data: any) => string | undefined, warmupS = options.warmupS) =>
      measureLoad({ key, url: stack.gatewayUrl, items: items(query), connections, durationS: options.durationS, warmupS, check, log });
    log(`Load: ${options.connections} connections, ${options.durationS} s after ${options.warmupS} s warm-up`);
    load.push(await run('nested.gateway', NESTED(50), options.connections, checkNested));
    load.push(await run('flat.gateway', FLAT(50), options.connections, checkFlat));
    load.push(await run('nested.gateway.1-connection', NESTED(50), 1, checkNested, 0));
    load.push(await run('flat.gateway.1-connection', FLAT(50), 1, checkFlat, 0));

    // Unloaded, sequential, in-process client: a cross-check of the 1-connection run.
    const sequential: number[] = [];
    for (let i = 0; i < 50; i++) sequential.push((await post(stack.gatewayUrl, items(NESTED(50))[0]!)).ms);
    log(`  sequential in-process: ${JSON.stringify(latencySummary(sequential))}`);

    const nested50 = fetches.find((f) => f.query === 'nested' && f.first === 50);
    const nestedCounts = fetches.filter((f) => f.query === 'nested').map((f) => f.subgraphFetches);
    const constant = nestedCounts.length > 1 && nestedCounts.every((n) => n === nestedCounts[0]) && fetches.every((f) => f.repetitions.every((r) => r === f.repetitions[0]));
    const main = load[0]!;
    const goals: NestedBenchResult['goals'] = [
      {
        goal: `subgraph fetches per nested query, page sizes ${fetches.filter((f) => f.query === 'nested').map((f) => f.first).join(', ')}`,
        target: 'constant (not one per session)',
        measured: nestedCounts.join(', '),
        met: constant,
        ...(nested50 ? { note: `first: 50 → sessions ${nested50.requests.sessions}, patterns ${nested50.requests.patterns}, checkpoints ${nested50.requests.checkpoints}` } : {}),
      },
      { goal: `nested query p95, ${main.connections} connections`, target: 'reported (no numeric goal)', measured: main.latencyMs.p95, met: null },
    ];
    return {
      generatedAt: new Date().toISOString(),
      command: [relative(process.cwd(), process.argv[1] ?? ''), ...process.argv.slice(2)].join(' '),
      machine,
      database,
      databaseVersion,
      options,
      seed: {
        sessions: seeded.length,
        patterns: { recorded: options.patterns, created, merged, links: patternLinks },
        checkpoints: { created: options.checkpoints, links: checkpointLinks },
        seconds: round(seedSeconds, 1)!,
        readerSubmodule,
        firstPage,
      },
      load,
      fetches,
      perSessionWouldBe: Object.fromEntries(options.pageSizes.map((n) => [`first: ${n}`, 1 + 2 * n])),
      goals,
      allRequestsSucceeded: load.every((l) => l.ok),
      maxOtherCores: Math.max(0, ...load.map((l) => l.cpuCores?.otherCores ?? 0)),
      totalSeconds: round((performance.now() - started) / 1000, 1)!,
    };
  } finally {
    await bench.stop();
  }
}

const fmt = (n: number | null | undefined, suffix = '') => (n === null || n === undefined ? '–' : `${n.toLocaleString('en')}${suffix}`);

export function formatNestedSection(r: NestedBenchResult): string {
  const m = r.machine;
  const out: string[] = ['## Nested query (sessions → patterns, checkpoints)', ''];
  out.push(
    '```graphql',
    '{ sessions(first: 50) { nodes { id title patterns { id name occurrences } checkpoints { id title } } } }',
    '```',
    '',
    `Measured with \`npx tsx e2e/bench/nested-bench.ts\` on ${m.cpuModel} × ${m.cpuCount} cores, ${Math.round(m.totalMemoryMB / 1024)} GB RAM, ${m.os}, Node ${m.node}; ${r.database === 'pglite' ? 'PGlite (in-memory)' : 'Postgres'} — ${r.databaseVersion}. Run ${r.generatedAt.slice(0, 16).replace('T', ' ')} UTC, load average at start ${m.loadAverageAtStart.join(' / ')}.`,
    'Gateway, subgraphs, PGlite (when used) and the load generator (autocannon, worker thread) share one process. **The machine was shared with other work during the run** ("others": CPU cores other processes used meanwhile; above ~0.2 the figures are disturbed); on 2 cores, treat the figures as pessimistic.',
    '',
    `Data, written through the gateway with real mutations: ${r.seed.sessions} sessions over ${SUBMODULES.length} submodules (~10% PRIVATE), ${r.seed.patterns.recorded} \`recordPattern\` calls (${r.seed.patterns.created} patterns, ${r.seed.patterns.merged} merges; ${r.seed.patterns.links} source-session links), ${r.seed.checkpoints.created} checkpoints (${r.seed.checkpoints.links} session links). The reader (\`${r.seed.readerSubmodule}\`, non-admin) gets ${r.seed.firstPage.nodes} sessions on the page, ${r.seed.firstPage.withPatterns} with patterns and ${r.seed.firstPage.withCheckpoints} with checkpoints (${r.seed.firstPage.patternLinks} + ${r.seed.firstPage.checkpointLinks} nested items).`,
    '',
    '| query | conn | p50 | p95 | p99 | req/s | requests | failed | server thread | others | status |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  );
  const names: Record<string, string> = { 'nested.gateway': 'nested, first: 50', 'flat.gateway': 'same page without patterns/checkpoints', 'nested.gateway.1-connection': 'nested, first: 50', 'flat.gateway.1-connection': 'same page without patterns/checkpoints' };
  for (const l of r.load) {
    const failed = l.non2xx + l.graphqlErrors + l.connectionErrors + l.timeouts;
    out.push(
      `| ${names[l.key] ?? l.key} | ${l.connections} | ${fmt(l.latencyMs.p50)} ms | ${fmt(l.latencyMs.p95)} ms | ${fmt(l.latencyMs.p99)} ms | ${fmt(l.requestsPerSecond)} | ${fmt(l.requests)} | ${failed} | ${Math.round(l.serverThreadBusy * 100)}% | ${l.cpuCores ? l.cpuCores.otherCores.toFixed(2) : '–'} | ${l.ok ? 'ok' : '**FAILED**'} |`,
    );
  }
  out.push(
    '',
    'Subgraph fetches per query: requests to each service\'s `/graphql` during one query, from `memctx_http_request_duration_seconds_count` on the gateway\'s `/metrics` read before and after (every service of the embedded process shares the registry; the same over 5 repetitions). "server ms": mean time each service spent on those requests (the histogram\'s `_sum`; the gateway\'s includes the subgraphs\' time it waited for).',
    '',
    '| query | sessions returned | nested items | gateway | sessions | patterns | checkpoints | search | subgraph fetches | one fetch per session would be | server ms: gateway / sessions / patterns / checkpoints |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const f of r.fetches) {
    out.push(
      `| ${f.query === 'nested' ? 'nested' : 'without nested fields'}, first: ${f.first} | ${f.nodes} | ${f.patternLinks + f.checkpointLinks} | ${f.requests.gateway} | ${f.requests.sessions} | ${f.requests.patterns} | ${f.requests.checkpoints} | ${f.requests.search} | **${f.subgraphFetches}**${f.repetitions.every((x) => x === f.repetitions[0]) ? '' : ` (varied: ${f.repetitions.join(', ')})`} | ${f.query === 'nested' ? 1 + 2 * f.nodes : '–'} | ${f.serverMs.gateway} / ${f.serverMs.sessions} / ${f.serverMs.patterns} / ${f.serverMs.checkpoints} |`,
    );
  }
  out.push('', 'Goals:', '', '| goal | target | measured | |', '| --- | --- | ---: | --- |');
  for (const g of r.goals) out.push(`| ${g.goal} | ${g.target} | ${g.measured ?? '–'} | ${g.met === null ? 'reported' : g.met ? 'met' : '**missed**'}${g.note ? ` (${g.note})` : ''} |`);
  if (!r.allRequestsSucceeded) out.push('', '**Some requests failed: see the "failed" column.**');
  return out.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const values = benchArgs(
    `npx tsx e2e/bench/nested-bench.ts [options]
  --quick             200 sessions, 3 s runs
  --duration <s>      measured seconds per load run (default 10)
  --warmup <s>        unmeasured seconds before each (default 2)
  --connections <n>   concurrent connections (default 32)
  --sessions <n>      sessions to seed (default 500)
  --out <file>        results JSON (default e2e/bench/results/nested.json)
  --md <file>         markdown section (default e2e/bench/results/nested-section.md)
MEMCTX_DATABASE_URL=postgres://… runs over Postgres (a fresh database, dropped after).`,
    { sessions: { type: 'string' }, md: { type: 'string' } },
  );
  const durationS = optionalNumberArg('duration', values.duration);
  const warmupS = optionalNumberArg('warmup', values.warmup);
  const connections = optionalNumberArg('connections', values.connections);
  const sessions = optionalNumberArg('sessions', values.sessions);
  const result = await runNestedBench({
    quick: values.quick,
    ...(durationS === undefined ? {} : { durationS }),
    ...(warmupS === undefined ? {} : { warmupS }),
    ...(connections === undefined ? {} : { connections }),
    ...(sessions === undefined ? {} : { sessions }),
  });
  const out = resolve(process.cwd(), values.out ?? join(HERE, 'results', 'nested.json'));
  const md = resolve(process.cwd(), values.md ?? join(HERE, 'results', 'nested-section.md'));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  const section = formatNestedSection(result);
  writeFileSync(md, `${section}\n`);
  process.stdout.write(`\n${section}\n\nResults: ${relative(REPO, out)}, ${relative(REPO, md)}\n`);
  if (!result.allRequestsSucceeded) {
    process.stdout.write('\nSOME REQUESTS FAILED: their latencies describe errors, not work.\n');
    process.exitCode = 1;
  }
}
