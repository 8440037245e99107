/**
 * Sessions benchmark: `npx tsx e2e/bench/run.ts [--quick] [--duration 10]`
 * (also the `sessions` suite of `npm run bench`).
 *
 * Load figures of the embedded stack: the subgraphs and the gateway run in
 * this process on free loopback ports, over PGlite in a temporary data
 * directory (the `npm start` default), or over Postgres when
 * MEMCTX_DATABASE_URL names a server (a fresh database is created on it and
 * dropped afterwards). autocannon fires the load from a worker thread. One
 * scenario also starts the gateway alone in its own process (the production
 * topology) in front of the same subgraph.
 *
 * Writes a table to stdout and the figures to e2e/bench/results/latest.json.
 * Exits 1 when any scenario saw failed requests: a benchmark of errors is not
 * a benchmark.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { benchArgs, numberArg } from './lib/cli.js';
import { makeGenerator, SUBMODULES as CORPUS_SUBMODULES } from './lib/corpus.js';
import { startProfile } from './lib/cpu-profile.js';
import { startGatewayProcess } from './lib/gateway-process.js';
import { failures, fire, sampleCheck as checkSample, type LoadItem } from './lib/load.js';
import { MachineCpu, type CpuCores } from './lib/machine-cpu.js';
import { machineInfo } from './lib/machine.js';
import { RssSampler } from './lib/rss-sampler.js';
import { settle } from './lib/settle.js';
import { startBenchStack, tokensOf } from './lib/stack.js';
import { latencySummary, round } from './lib/stats.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');
const SUBMODULES = CORPUS_SUBMODULES.slice(0, 4);

// ---------------------------------------------------------------- options

const args = benchArgs(
  `npm run bench -- [options]
  --quick            2 s per scenario, 200 seeded sessions (a smoke run)
  --duration <s>     seconds per measured scenario (default 10)
  --warmup <s>       unmeasured seconds before each scenario (default 2; quick 1)
  --connections <n>  concurrent connections (default 32)
  --sessions <n>     sessions to seed (default 2000; quick 200)
  --workers <n>      autocannon worker threads (default 1; 0 = load generator on the server's thread)
  --in-memory        PGlite in memory instead of a temporary data directory
  --profile <dir>    write a CPU profile of the server thread for each measured scenario
  --out <file>       results file (default e2e/bench/results/latest.json)
Set MEMCTX_DATABASE_URL=postgres://… to run over Postgres (a fresh database is created and dropped).`,
  { sessions: { type: 'string' }, workers: { type: 'string' }, 'in-memory': { type: 'boolean', default: false }, profile: { type: 'string' } },
);

const quick = args.quick === true;
const options = {
  quick,
  durationS: numberArg('duration', args.duration, quick ? 2 : 10),
  warmupS: numberArg('warmup', args.warmup, quick ? 1 : 2),
  unloadedDurationS: quick ? 1 : 3,
  connections: numberArg('connections', args.connections, 32),
  sessions: numberArg('sessions', args.sessions, quick ? 200 : 2000),
  workers: numberArg('workers', args.workers, 1),
  inMemory: args['in-memory'] === true,
  profileDir: args.profile === undefined ? undefined : resolve(process.cwd(), args.profile),
  out: resolve(process.cwd(), args.out ?? join(HERE, 'results', 'latest.json')),
};

// ---------------------------------------------------------------- operations

const SEED_SESSION = `mutation Seed($input: CreateSessionInput!) { createSession(input: $input) { id submoduleId privacyLevel } }`;
// What an agent asks for (the same selections as the e2e suites).
const GET_SESSION = `query Get($id: ID!) { session(id: $id) {
  id submoduleId privacyLevel title description tags version createdAt updatedAt contentHash contentBytes
  content { role text at } redaction { total counts { kind count } } submodule { id name } } }`;
const LIST_SESSIONS = `query List($filter: SessionFilter, $first: Int, $after: String) {
  sessions(filter: $filter, first: $first, after: $after) { nodes { id title privacyLevel submoduleId tags } pageInfo { endCursor hasNextPage } } }`;
const CREATE_SESSION = `mutation Create($input: CreateSessionInput!) { createSession(input: $input) {
  id submoduleId privacyLevel title tags version createdAt contentHash contentBytes content { role text at } redaction { total } } }`;

// ---------------------------------------------------------------- content

const corpus = makeGenerator(20260511);

/** Session `index`: text from the shared corpus; submodule and level spread evenly, not aligned (half TEAM, a quarter each PUBLIC and PRIVATE). */
function seedInput(index: number): { submoduleId: string; input: Record<string, unknown> } {
  const submoduleId = SUBMODULES[index % SUBMODULES.length]!;
  const privacyLevel = (['TEAM', 'PUBLIC', 'TEAM', 'PRIVATE'] as const)[Math.floor(index / SUBMODULES.length) % 4]!;
  const start = new Date(Date.UTC(2026, 0, 1) + index * 3_600_000);
  const { title, description, tags, content } = corpus.session(start);
  // One in ten carries an e-mail address, so the redactor has work to do.
  if (index % 10 === 0) content[0]!.text += ' Ping ops@example.com if the pager goes off.';
  return {
    submoduleId,
    input: { privacyLevel, title, description, tags, startedAt: start.toISOString(), endedAt: new Date(start.getTime() + content.length * 60_000).toISOString(), content },
  };
}

// ---------------------------------------------------------------- load

interface Item extends LoadItem {
  expectId?: string;
}

interface Scenario {
  key: string;
  query: 'session(id)' | 'sessions(first: 50)' | 'createSession';
  /** gateway: the embedded stack's gateway (same thread as the subgraphs); gateway-process: a gateway in its own process; direct: the sessions subgraph. */
  target: 'gateway' | 'gateway-process' | 'direct';
  url: string;
  /** Process id whose RSS is sampled besides this process's (the separate gateway). */
  pid?: number;
  items?: Item[];
  template?: Item;
  /** Checks one response's data; returns a problem, or undefined when it is right. */
  check(data: any, item: Item): string | undefined;
}

const fireScenario = (scenario: Scenario, connections: number, durationS: number) =>
  fire({ url: scenario.url, ...(scenario.items ? { items: scenario.items } : {}), ...(scenario.template ? { template: scenario.template } : {}), connections, durationS, workers: options.workers, timeoutS: 10 });

/** Sends a few requests of the scenario one by one and checks that each answered with the right data. */
const sampleCheck = (scenario: Scenario) =>
  checkSample(
    scenario.url,
    () => (scenario.template ? { ...scenario.template, body: scenario.template.body.replaceAll('__UNIQUE__', randomUUID()) } : scenario.items![Math.floor(Math.random() * scenario.items!.length)]!),
    (data, item) => scenario.check(data, item),
    5,
  );

/** Whether the `postgres` processes on this machine serve this bench (MEMCTX_DATABASE_URL on loopback) or someone else. */
let postgresIsOurs = false;

interface ScenarioResult {
  key: string;
  query: Scenario['query'];
  target: Scenario['target'];
  connections: number;
  durationS: number;
  requests: number;
  requestsPerSecond: number;
  latencyMs: { p50: number | null; p95: number | null; p99: number | null; mean: number | null; max: number | null };
  /** autocannon's own histogram (whole milliseconds), for cross-checking. */
  autocannonLatencyMs: { p50: number; p90: number; p99: number };
  latencySamples: number;
  non2xx: number;
  graphqlErrors: number;
  connectionErrors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  sampleCheck: { before: string[]; after: string[] };
  rssMaxMB: number;
  /** Highest RSS of the separate gateway process (target gateway-process). */
  gatewayProcessRssMaxMB?: number;
  /** process.memoryUsage() (MB) when the RSS peaked. */
  memoryAtPeakMB: Record<string, number>;
  /** Event-loop utilization of the thread that runs the gateway, the subgraph (and PGlite): 1 = saturated. */
  serverThreadBusy: number;
  /** CPU in use during the run, in cores: whole machine, this process (server + load generator), the separate gateway process, the local Postgres server, everything else. */
  cpuCores: CpuCores | null;
  ok: boolean;
}

async function measure(scenario: Scenario, connections: number, durationS: number, warmupS: number): Promise<ScenarioResult> {
  const label = `${scenario.query} via ${scenario.target}, ${connections} conn`;
  process.stderr.write(`  ${label}: `);
  const before = await sampleCheck(scenario);
  if (warmupS > 0 && before.length === 0) await fireScenario(scenario, connections, warmupS);
  const profiler = options.profileDir && before.length === 0 ? await startProfile() : undefined;
  const rss = new RssSampler(scenario.pid);
  rss.start();
  const elu = performance.eventLoopUtilization();
  const cpu = new MachineCpu({ ...(scenario.pid === undefined ? {} : { gatewayPid: scenario.pid }), postgresIsOurs });
  const { result, samples } = before.length === 0 ? await fireScenario(scenario, connections, durationS) : { result: undefined, samples: new Float64Array() };
  const serverThreadBusy = performance.eventLoopUtilization(elu).utilization;
  const cpuCores = cpu.stop();
  rss.stop();
  if (profiler) await profiler.stop(join(options.profileDir!, `${scenario.key}.${connections}c.cpuprofile`));
  const after = await sampleCheck(scenario);
  const requests = result ? result.latency.totalCount + result.non2xx : 0;
  const { samples: latencySamples, ...latencyMs } = latencySummary(samples);
  const statusCodes = Object.fromEntries(Object.entries(result?.statusCodeStats ?? {}).map(([code, s]) => [code, s.count]));
  const out: ScenarioResult = {
    key: scenario.key,
    query: scenario.query,
    target: scenario.target,
    connections,
    durationS: result?.duration ?? 0,
    requests,
    requestsPerSecond: result ? round(requests / result.duration, 1)! : 0,
    latencyMs,
    autocannonLatencyMs: { p50: result?.latency.p50 ?? 0, p90: result?.latency.p90 ?? 0, p99: result?.latency.p99 ?? 0 },
    latencySamples,
    ...failures(result),
    statusCodes,
    sampleCheck: { before, after },
    rssMaxMB: Math.round(rss.maxBytes / 2 ** 20),
    ...(scenario.pid !== undefined ? { gatewayProcessRssMaxMB: Math.round(rss.otherMaxBytes / 2 ** 20) } : {}),
    memoryAtPeakMB: Object.fromEntries(Object.entries(rss.peak ?? {}).map(([k, v]) => [k, Math.round(v / 2 ** 20)])),
    serverThreadBusy: round(serverThreadBusy, 3)!,
    cpuCores,
    ok: false,
  };
  out.ok =
    result !== undefined && before.length === 0 && after.length === 0 && requests > 0 &&
    out.non2xx === 0 && out.graphqlErrors === 0 && out.connectionErrors === 0 && out.timeouts === 0;
  process.stderr.write(
    out.ok
      ? `${out.requestsPerSecond} req/s, p50 ${out.latencyMs.p50} ms, server thread ${Math.round(serverThreadBusy * 100)}% busy, other processes ${cpuCores?.otherCores ?? '?'} cores\n`
      : `FAILED (non-2xx ${out.non2xx}, GraphQL errors ${out.graphqlErrors}, connection errors ${out.connectionErrors}, timeouts ${out.timeouts}; sample check: ${[...before, ...after].slice(0, 3).join(' | ') || 'ok'})\n`,
  );
  return out;
}

// ---------------------------------------------------------------- main

async function main() {
  const started = Date.now();
  process.stderr.write(`Starting the embedded stack…\n`);
  const bench = await startBenchStack({ storage: options.inMemory ? 'memory' : 'data-dir' });
  const { stack } = bench;
  postgresIsOurs = bench.database === 'postgres' && /@(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(process.env.MEMCTX_DATABASE_URL ?? '');
  const rssAfterStartMB = Math.round(process.memoryUsage().rss / 2 ** 20);
  const machine = {
    ...machineInfo(),
    database: bench.database === 'pglite' && options.inMemory ? 'pglite-memory' : bench.database,
    databaseVersion: bench.databaseVersion,
  };
  process.stderr.write(`  ${machine.cpuModel} × ${machine.cpuCount}, ${machine.totalMemoryMB} MB, Node ${machine.node}, ${machine.database}\n`);
  process.stderr.write(`  gateway ${stack.gatewayUrl}, sessions subgraph ${stack.subgraphUrls.sessions}\n`);

  try {
    const { graphql, ok } = await import('../src/harness.js');
    const tokens: Record<string, string> = await tokensOf(stack, SUBMODULES);
    const bearer = (submodule: string) => `Bearer ${tokens[submodule]}`;

    // Seed through real HTTP, straight to the subgraph (16 in flight).
    process.stderr.write(`Seeding ${options.sessions} sessions over ${SUBMODULES.length} submodules…\n`);
    const seedStarted = Date.now();
    const seeded: Array<{ id: string; submoduleId: string; privacyLevel: string }> = [];
    const inputs = Array.from({ length: options.sessions }, (_, i) => seedInput(i));
    let nextSeed = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (nextSeed < inputs.length) {
          const { submoduleId, input } = inputs[nextSeed++]!;
          const data = ok(await graphql(stack.subgraphUrls.sessions, SEED_SESSION, { input }, tokens[submoduleId]));
          seeded.push(data.createSession);
        }
      }),
    );
    await stack.deps.audit.flush();
    const seedSeconds = (Date.now() - seedStarted) / 1000;
    const settleSeconds = await settle(stack);
    const byLevel = seeded.reduce<Record<string, number>>((acc, s) => ({ ...acc, [s.privacyLevel]: (acc[s.privacyLevel] ?? 0) + 1 }), {});
    process.stderr.write(`  ${seeded.length} sessions in ${seedSeconds.toFixed(1)} s (${JSON.stringify(byLevel)}); background work settled in ${settleSeconds.toFixed(1)} s\n`);

    // session(id): each id read with a token allowed to see it (PRIVATE: its owner; others: another submodule).
    const readItems: Item[] = seeded.map((s, i) => {
      const owner = SUBMODULES.indexOf(s.submoduleId as (typeof SUBMODULES)[number]);
      const reader = s.privacyLevel === 'PRIVATE' ? s.submoduleId : SUBMODULES[(owner + 1 + (i % 3)) % SUBMODULES.length]!;
      return { body: JSON.stringify({ query: GET_SESSION, variables: { id: s.id } }), authorization: bearer(reader), expectId: s.id };
    });
    const listItems: Item[] = SUBMODULES.map((s) => ({ body: JSON.stringify({ query: LIST_SESSIONS, variables: { first: 50 } }), authorization: bearer(s) }));
    const createTemplate: Item = {
      body: JSON.stringify({
        query: CREATE_SESSION,
        variables: {
          input: {
            ...seedInput(7).input,
            title: 'Bench write __UNIQUE__',
            tags: ['bench'],
            idempotencyKey: 'bench-__UNIQUE__',
          },
        },
      }),
      authorization: bearer(SUBMODULES[0]!),
    };

    const checkSession = (data: any, item: Item) =>
      data.session?.id !== item.expectId ? `session(id) returned ${JSON.stringify(data.session?.id)}, expected ${item.expectId}`
      : !Array.isArray(data.session.content) || data.session.content.length === 0 ? 'session(id) returned no content'
      : undefined;
    const expectedPage = Math.min(50, Math.floor(seeded.length / 2));
    const checkList = (data: any) => {
      const nodes = data.sessions?.nodes;
      return !Array.isArray(nodes) || nodes.length < expectedPage ? `sessions(first: 50) returned ${nodes?.length ?? 'no'} nodes` : undefined;
    };
    const checkCreate = (data: any) => (typeof data.createSession?.id === 'string' && data.createSession.title.startsWith('Bench write') ? undefined : 'createSession returned no session');

    const gateway = stack.gatewayUrl;
    const direct = stack.subgraphUrls.sessions;
    const scenarios = {
      sessionGateway: { key: 'session-by-id.gateway', query: 'session(id)', target: 'gateway', url: gateway, items: readItems, check: checkSession },
      sessionDirect: { key: 'session-by-id.direct', query: 'session(id)', target: 'direct', url: direct, items: readItems, check: checkSession },
      listGateway: { key: 'sessions-first-50.gateway', query: 'sessions(first: 50)', target: 'gateway', url: gateway, items: listItems, check: checkList },
      listDirect: { key: 'sessions-first-50.direct', query: 'sessions(first: 50)', target: 'direct', url: direct, items: listItems, check: checkList },
      createGateway: { key: 'create-session.gateway', query: 'createSession', target: 'gateway', url: gateway, template: createTemplate, check: checkCreate },
    } satisfies Record<string, Scenario>;

    const c = options.connections;
    const rssBaselineMB = Math.round(process.memoryUsage().rss / 2 ** 20); // after seeding, before load
    process.stderr.write(`Load: ${c} connections, ${options.durationS} s per scenario after ${options.warmupS} s warm-up, ${options.workers || 'no'} autocannon worker(s)\n`);
    const loaded: ScenarioResult[] = [];
    loaded.push(await measure(scenarios.sessionGateway, c, options.durationS, options.warmupS));
    loaded.push(await measure(scenarios.sessionDirect, c, options.durationS, options.warmupS));
    loaded.push(await measure(scenarios.listGateway, c, options.durationS, options.warmupS));
    loaded.push(await measure(scenarios.listDirect, c, options.durationS, options.warmupS));
    process.stderr.write(`Unloaded latency: 1 connection, ${options.unloadedDurationS} s each\n`);
    const unloaded: ScenarioResult[] = [];
    unloaded.push(await measure(scenarios.sessionGateway, 1, options.unloadedDurationS, 0));
    unloaded.push(await measure(scenarios.sessionDirect, 1, options.unloadedDurationS, 0));
    unloaded.push(await measure(scenarios.listGateway, 1, options.unloadedDurationS, 0));
    unloaded.push(await measure(scenarios.listDirect, 1, options.unloadedDurationS, 0));
    process.stderr.write(`Gateway in its own process (the production topology), in front of the same subgraph\n`);
    const gatewayProcess = await startGatewayProcess(stack);
    try {
      const sessionGatewayProcess: Scenario = {
        key: 'session-by-id.gateway-process',
        query: 'session(id)',
        target: 'gateway-process',
        url: gatewayProcess.url,
        pid: gatewayProcess.pid,
        items: readItems,
        check: checkSession,
      };
      loaded.push(await measure(sessionGatewayProcess, c, options.durationS, options.warmupS));
      unloaded.push(await measure(sessionGatewayProcess, 1, options.unloadedDurationS, 0));
    } finally {
      await gatewayProcess.stop();
    }
    process.stderr.write(`Writes\n`);
    loaded.push(await measure(scenarios.createGateway, c, options.durationS, options.warmupS));

    // ------------------------------------------------------------ summary
    const find = (list: ScenarioResult[], key: string) => list.find((r) => r.key === key)!;
    const overhead = (list: ScenarioResult[], base: string, via = 'gateway') => {
      const g = find(list, `${base}.${via}`).latencyMs.p50;
      const d = find(list, `${base}.direct`).latencyMs.p50;
      return g === null || d === null ? null : round(g - d);
    };
    const gatewayOverheadP50Ms = {
      [`session(id), ${c} connections`]: overhead(loaded, 'session-by-id'),
      [`sessions(first: 50), ${c} connections`]: overhead(loaded, 'sessions-first-50'),
      'session(id), 1 connection': overhead(unloaded, 'session-by-id'),
      'sessions(first: 50), 1 connection': overhead(unloaded, 'sessions-first-50'),
      [`session(id), gateway in its own process, ${c} connections`]: overhead(loaded, 'session-by-id', 'gateway-process'),
      'session(id), gateway in its own process, 1 connection': overhead(unloaded, 'session-by-id', 'gateway-process'),
    };
    const gatewayRuns = loaded.filter((r) => r.target === 'gateway');
    const peakGatewayRun = gatewayRuns.reduce((a, b) => (b.rssMaxMB > a.rssMaxMB ? b : a));
    const memory = {
      rssAfterStartMB,
      rssBaselineMB,
      rssMaxDuringGatewayRunsMB: Math.max(...gatewayRuns.map((r) => r.rssMaxMB)),
      rssMaxDuringDirectRunsMB: Math.max(...loaded.filter((r) => r.target === 'direct').map((r) => r.rssMaxMB)),
      atGatewayPeakMB: peakGatewayRun.memoryAtPeakMB,
      gatewayProcessRssMaxMB: find(loaded, 'session-by-id.gateway-process').gatewayProcessRssMaxMB ?? null,
      note: 'Whole bench process: the embedded gateway, every subgraph and its background work, the database client (PGlite runs inside it), and the autocannon worker thread. gatewayProcessRssMaxMB: the separate gateway process (run under tsx).',
    };
    const sessionGw = find(loaded, 'session-by-id.gateway');
    const sessionGwProcess = find(loaded, 'session-by-id.gateway-process');
    const goal = (name: string, target: string, measured: number | null, met: boolean | null) => ({ goal: name, target, measured, met });
    const atMost = (value: number | null | undefined, limit: number) => (value === null || value === undefined ? null : value <= limit);
    const below = (value: number | null | undefined, limit: number) => (value === null || value === undefined ? null : value < limit);
    const o = (key: string) => gatewayOverheadP50Ms[key] ?? null;
    const goals = [
      goal(`gateway overhead at p50, session(id), embedded (one thread), ${c} connections`, '≤ 2 ms', o(`session(id), ${c} connections`), atMost(o(`session(id), ${c} connections`), 2)),
      goal('gateway overhead at p50, session(id), embedded (one thread), 1 connection', '≤ 2 ms', o('session(id), 1 connection'), atMost(o('session(id), 1 connection'), 2)),
      goal(`gateway overhead at p50, session(id), gateway in its own process, ${c} connections`, '≤ 2 ms', o(`session(id), gateway in its own process, ${c} connections`), atMost(o(`session(id), gateway in its own process, ${c} connections`), 2)),
      goal('gateway overhead at p50, session(id), gateway in its own process, 1 connection', '≤ 2 ms', o('session(id), gateway in its own process, 1 connection'), atMost(o('session(id), gateway in its own process, 1 connection'), 2)),
      goal(`session(id) p95 via the embedded gateway, ${c} connections`, '< 25 ms', sessionGw.latencyMs.p95, below(sessionGw.latencyMs.p95, 25)),
      goal(`session(id) p95 via the gateway in its own process, ${c} connections`, '< 25 ms', sessionGwProcess.latencyMs.p95, below(sessionGwProcess.latencyMs.p95, 25)),
      goal(`RSS of the gateway process under ${c}-connection load`, '< 300 MB', memory.gatewayProcessRssMaxMB, below(memory.gatewayProcessRssMaxMB, 300)),
      goal(`RSS of the whole embedded process under ${c}-connection gateway load`, '< 300 MB', memory.rssMaxDuringGatewayRunsMB, below(memory.rssMaxDuringGatewayRunsMB, 300)),
    ];

    const all = [...loaded, ...unloaded];
    const report = {
      generatedAt: new Date().toISOString(),
      command: ['npx tsx e2e/bench/run.ts', ...process.argv.slice(2)].join(' '),
      machine,
      options: { ...options, out: relative(REPO, options.out) },
      seed: { settleSeconds: round(settleSeconds, 1), sessions: seeded.length, submodules: SUBMODULES.length, byPrivacyLevel: byLevel, seconds: round(seedSeconds, 1), perSecond: round(seeded.length / seedSeconds, 1), via: 'createSession on the sessions subgraph over HTTP, 16 in flight' },
      scenarios: loaded,
      unloaded,
      gatewayOverheadP50Ms,
      memory,
      goals,
      allRequestsSucceeded: all.every((r) => r.ok),
      maxOtherCores: Math.max(0, ...all.map((r) => r.cpuCores?.otherCores ?? 0)),
      totalSeconds: round((Date.now() - started) / 1000, 1),
    };
    mkdirSync(dirname(options.out), { recursive: true });
    writeFileSync(options.out, `${JSON.stringify(report, null, 2)}\n`);
    printReport(report);
    process.stdout.write(`\nResults: ${relative(process.cwd(), options.out)}\n`);
    if (report.maxOtherCores > 0.2) {
      process.stdout.write(`\nWARNING: other processes used up to ${report.maxOtherCores} cores of ${machine.cpuCount} during the run: the figures are disturbed; rerun on a quiet machine.\n`);
    }
    if (!report.allRequestsSucceeded) {
      process.stdout.write('\nSOME SCENARIOS HAD FAILING REQUESTS: their latencies describe errors, not work. See the FAILED rows.\n');
      process.exitCode = 1;
    }
  } finally {
    await bench.stop();
  }
}

function printReport(report: {
  machine: Record<string, unknown>;
  seed: { sessions: number; seconds: number | null; perSecond: number | null };
  scenarios: ScenarioResult[];
  unloaded: ScenarioResult[];
  gatewayOverheadP50Ms: Record<string, number | null>;
  memory: { rssAfterStartMB: number; rssBaselineMB: number; rssMaxDuringGatewayRunsMB: number; rssMaxDuringDirectRunsMB: number; gatewayProcessRssMaxMB: number | null };
  goals: Array<{ goal: string; target: string; measured: number | null; met: boolean | null }>;
  totalSeconds: number | null;
}) {
  const m = report.machine;
  const out: string[] = [];
  out.push('');
  out.push(`Machine: ${m.cpuModel} × ${m.cpuCount} CPUs, ${m.totalMemoryMB} MB RAM, ${m.os}, Node ${m.node}`);
  out.push(`Database: ${m.database} — ${String(m.databaseVersion).split(',')[0]}`);
  out.push(`Seeded: ${report.seed.sessions} sessions in ${report.seed.seconds} s (${report.seed.perSecond}/s, direct to the subgraph)`);
  out.push('');
  const header = ['scenario', 'via', 'conn', 'p50 ms', 'p95 ms', 'p99 ms', 'req/s', 'requests', 'non-2xx', 'GQL err', 'busy', 'pg cores', 'others', 'status'];
  const rows = [...report.scenarios, ...report.unloaded].map((r) => [
    r.query,
    r.target,
    String(r.connections),
    String(r.latencyMs.p50 ?? '–'),
    String(r.latencyMs.p95 ?? '–'),
    String(r.latencyMs.p99 ?? '–'),
    String(r.requestsPerSecond),
    String(r.requests),
    String(r.non2xx),
    String(r.graphqlErrors),
    `${Math.round(r.serverThreadBusy * 100)}%`,
    r.cpuCores ? r.cpuCores.postgresCores.toFixed(2) : '–',
    r.cpuCores ? r.cpuCores.otherCores.toFixed(2) : '–',
    r.ok ? 'ok' : 'FAILED',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  out.push(line(header));
  out.push(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const row of rows) out.push(line(row));
  out.push('');
  out.push('Gateway overhead (gateway p50 − direct p50):');
  for (const [name, value] of Object.entries(report.gatewayOverheadP50Ms)) out.push(`  ${name.padEnd(56)} ${value ?? '–'} ms`);
  out.push('pg cores: CPU of the local `postgres` processes; others: CPU of every other process on the machine (not this bench, nor its local Postgres server); above ~0.2 the figures are disturbed.');
  out.push('busy: event-loop utilization of the bench process\'s main thread, which runs the embedded gateway, the subgraphs and PGlite (100% = saturated).');
  out.push(`RSS: ${report.memory.rssAfterStartMB} MB after start, ${report.memory.rssBaselineMB} MB after seeding, max ${report.memory.rssMaxDuringGatewayRunsMB} MB during gateway runs, max ${report.memory.rssMaxDuringDirectRunsMB} MB during direct runs; separate gateway process max ${report.memory.gatewayProcessRssMaxMB ?? '–'} MB`);
  out.push('');
  out.push('Goals:');
  for (const g of report.goals) {
    out.push(`  ${(g.met === null ? 'N/A ' : g.met ? 'MET ' : 'MISS').padEnd(5)} ${g.goal}: ${g.measured ?? '–'} (target ${g.target})`);
  }
  out.push(`\nTotal ${report.totalSeconds} s`);
  process.stdout.write(`${out.join('\n')}\n`);
}

// Ctrl-C or a kill: leave no gateway process behind (the 'exit' handlers run on process.exit).
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

await main();
