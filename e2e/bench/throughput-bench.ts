/**
 * Write and sync throughput (issue 13's "Measure", issue 12's import line):
 * `npx tsx e2e/bench/throughput-bench.ts [--scenario flush,create,pull,mixed,import] [--layout threads,gateway-thread,single]`
 * (also the `throughput` suite of `npm run bench`).
 *
 * Every scenario starts its own embedded stack in a process of its own, as
 * `npm start` runs it (PGlite in a temporary data directory, or a fresh
 * database on MEMCTX_DATABASE_URL's server), in each layout asked for; the
 * SDK, the load and `memctx import` run from this process. The stack's memory
 * is its process's highest RSS (every thread) during the measured part.
 * - flush: N queued SDK writes flushed to the gateway, against the same N
 *   rows written server-side in one INSERT (the limit) in the same run;
 * - create: `createSession` through the gateway at 32 connections;
 * - pull: cold pull of N sessions into an empty SDK cache;
 * - mixed: 20 connections of create, update, get, list, search and feeds,
 *   p50/p95 per operation (in both layouts by default);
 * - import: `memctx import` of a MEMORY-CONTEXT folder of N sessions.
 *
 * Prints each result and merges it into e2e/bench/results/throughput.json
 * (by scenario, database and layout). Exits 1 when a scenario saw failures.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { createClient, type ImportReport } from '@memory-context/sdk';
import type { StackLayout } from '@memory-context/embedded';
import { benchArgs, numberArg } from './lib/cli.js';
import { makeGenerator, QUERIES, SUBMODULES as CORPUS_SUBMODULES } from './lib/corpus.js';
import { failures, fire } from './lib/load.js';
import { MachineCpu } from './lib/machine-cpu.js';
import { describeMachine, machineInfo } from './lib/machine.js';
import { fireMixed, type MixedRequest } from './lib/mixed-load.js';
import { RssSampler } from './lib/rss-sampler.js';
import { sdkSessionInput } from './lib/sdk-session.js';
import { startStackProcess, type SeedSession, type StackProcess } from './lib/stack-process.js';
import { latencySummary, round } from './lib/stats.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');
const SCENARIOS = ['flush', 'create', 'pull', 'mixed', 'import'] as const;
type Scenario = (typeof SCENARIOS)[number];

const args = benchArgs(
  `npx tsx e2e/bench/throughput-bench.ts [options]
  --scenario <list>  any of ${SCENARIOS.join(',')} (default: all, one after the other, each on a fresh stack)
  --layout <list>    threads,gateway-thread,single (default: threads and single for mixed, threads for the others)
  --quick            a smoke run: 100 writes, 1,000 sessions, 3 s of load
  --writes <n>       queued writes flushed (default 1000)
  --sessions <n>     sessions pulled and imported (default 10000)
  --seed <n>         sessions seeded before the mixed load (default 2000)
  --duration <s>     seconds of load per run (default 20)
  --warmup <s>       unmeasured seconds before it (default 3)
  --connections <n>  createSession connections (default 32); the mixed load uses 20
  --out <file>       results file (default e2e/bench/results/throughput.json)
Set MEMCTX_DATABASE_URL=postgres://… to run on Postgres (a fresh database per stack, dropped after).`,
  { scenario: { type: 'string' }, layout: { type: 'string' }, writes: { type: 'string' }, sessions: { type: 'string' }, seed: { type: 'string' } },
);
const quick = args.quick === true;
const options = {
  scenarios: (args.scenario?.split(',') ?? [...SCENARIOS]) as Scenario[],
  layouts: args.layout?.split(',') as StackLayout[] | undefined,
  writes: numberArg('writes', args.writes, quick ? 100 : 1000),
  sessions: numberArg('sessions', args.sessions, quick ? 1000 : 10_000),
  seed: numberArg('seed', args.seed, quick ? 200 : 2000),
  durationS: numberArg('duration', args.duration, quick ? 3 : 20),
  warmupS: numberArg('warmup', args.warmup, quick ? 1 : 3),
  connections: numberArg('connections', args.connections, 32),
  mixedConnections: 20,
  out: resolve(process.cwd(), args.out ?? join(HERE, 'results', 'throughput.json')),
};
for (const s of options.scenarios) if (!SCENARIOS.includes(s)) throw new Error(`--scenario: unknown ${s}; use ${SCENARIOS.join(', ')}`);
for (const l of options.layouts ?? []) if (l !== 'threads' && l !== 'gateway-thread' && l !== 'single') throw new Error(`--layout: unknown ${l}; use threads, gateway-thread or single`);

const log = (line: string) => process.stderr.write(`${line}\n`);
const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

interface Result {
  scenario: Scenario;
  database: 'pglite' | 'postgres';
  databaseVersion: string;
  layout: StackLayout;
  at: string;
  ok: boolean;
  /** Highest RSS of the stack's process (all its threads) during the measured part. */
  stackRssMB: number;
  /** CPU of the stack's process meanwhile, in cores (2 = both cores of this machine). */
  stackCores: number | null;
  /** CPU of everything else but this process and a local Postgres, in cores: above ~0.2 the figures are disturbed. */
  otherCores: number | null;
  figures: Record<string, unknown>;
}

/** Runs `measure` with the stack's RSS and the machine's CPU sampled. */
async function sampled<T>(stack: StackProcess, measure: () => Promise<T>): Promise<{ value: T; stackRssMB: number; stackCores: number | null; otherCores: number | null }> {
  const rss = new RssSampler(stack.pid);
  const cpu = new MachineCpu({ gatewayPid: stack.pid });
  rss.start();
  try {
    const value = await measure();
    const cores = cpu.stop();
    return { value, stackRssMB: mb(rss.otherMaxBytes), stackCores: cores?.gatewayProcessCores ?? null, otherCores: cores?.otherCores ?? null };
  } finally {
    rss.stop();
  }
}

/** CPU the stack spent per request (ms): comparable between layouts even when other work takes the cores. */
const cpuPerRequest = (cores: number | null, seconds: number, requests: number) => (cores === null || requests === 0 ? null : round((cores * seconds * 1000) / requests, 2));

// ---------------------------------------------------------------- scenarios

async function flush(stack: StackProcess, dir: string): Promise<Pick<Result, 'ok' | 'stackRssMB' | 'stackCores' | 'otherCores' | 'figures'>> {
  const n = options.writes;
  const url = stack.gatewayUrl;
  const token = await stack.token('bench-writer');
  const cachePath = join(dir, 'writer.db');
  const client = createClient({ url, token, cachePath, pushOnWrite: false, pullIntervalMs: 0 });
  log(`  queueing ${n} writes`);
  for (let i = 0; i < n; i++) await client.sessions.create(sdkSessionInput(i));
  const concurrency = client.options.flushConcurrency;
  log(`  flushing ${n} queued writes`);
  const { value, stackRssMB, stackCores, otherCores } = await sampled(stack, async () => {
    const started = performance.now();
    const flushed = await client.flush();
    return { seconds: (performance.now() - started) / 1000, flushed };
  });
  await client.close();
  log(`  the limit: the same ${n} rows in one INSERT`);
  const one = sdkSessionInput(0);
  const bulk = await stack.bulk({ count: n, submoduleId: 'bench-writer', title: one.title, tags: one.tags ?? [], content: (one.content ?? []).map(({ role, text }) => ({ role, text })) });
  const ok = value.flushed.remaining === 0 && value.flushed.rejected === 0;
  return {
    ok,
    stackRssMB,
    stackCores,
    otherCores,
    figures: {
      writes: n,
      flushSeconds: round(value.seconds, 2),
      writesPerSecond: round(n / value.seconds, 1),
      flushConcurrency: concurrency,
      remaining: value.flushed.remaining,
      rejected: value.flushed.rejected,
      bulkSeconds: round(bulk.ms / 1000, 3),
      flushOverBulk: round(value.seconds / (bulk.ms / 1000), 1),
      goal: 'flush < 1.5 s embedded, within 3x of the bulk insert',
    },
  };
}

const CREATE_SESSION = `mutation Create($input: CreateSessionInput!) { createSession(input: $input) { id submoduleId title version } }`;

async function create(stack: StackProcess): Promise<Pick<Result, 'ok' | 'stackRssMB' | 'stackCores' | 'otherCores' | 'figures'>> {
  const authorization = `Bearer ${await stack.token('bench-create')}`;
  const template = {
    authorization,
    body: JSON.stringify({
      query: CREATE_SESSION,
      variables: { input: { title: 'Bench write __UNIQUE__', privacyLevel: 'TEAM', tags: ['bench'], content: [{ role: 'user', text: 'the build failed on the integration runner because the cache key missed the lockfile hash' }], idempotencyKey: 'bench-__UNIQUE__' } },
    }),
  };
  log(`  createSession through the gateway: ${options.connections} connections, ${options.warmupS} s warm-up, ${options.durationS} s`);
  if (options.warmupS > 0) await fire({ url: stack.gatewayUrl, template, connections: options.connections, durationS: options.warmupS, timeoutS: 20 });
  const { value, stackRssMB, stackCores, otherCores } = await sampled(stack, () => fire({ url: stack.gatewayUrl, template, connections: options.connections, durationS: options.durationS, timeoutS: 20 }));
  const { result, samples } = value;
  const requests = result.latency.totalCount + result.non2xx;
  const failed = failures(result);
  const errors = failed.non2xx + failed.graphqlErrors + failed.connectionErrors + failed.timeouts;
  return {
    ok: requests > 0 && errors === 0,
    stackRssMB,
    stackCores,
    otherCores,
    figures: { connections: options.connections, durationS: result.duration, requests, requestsPerSecond: round(requests / result.duration, 1), latencyMs: latencySummary(samples), ...failed, stackCpuMsPerRequest: cpuPerRequest(stackCores, result.duration, requests), goal: '>= 4x 84.5 req/s on Postgres (338 req/s)' },
  };
}

async function pull(stack: StackProcess, dir: string): Promise<Pick<Result, 'ok' | 'stackRssMB' | 'stackCores' | 'otherCores' | 'figures'>> {
  const n = options.sessions;
  const one = sdkSessionInput(0);
  log(`  seeding ${n} sessions on the server`);
  const seeded = await stack.seed({ count: n, sessions: [{ submoduleId: 'bench-seed', privacyLevel: 'TEAM', title: 'Seeded session: fix the CI cache key', tags: one.tags ?? [], content: (one.content ?? []).map(({ role, text }) => ({ role, text })) }] });
  log(`  seeded in ${round(seeded.seconds, 1)} s; cold pull into an empty cache`);
  let gatewayMs = 0;
  const timedFetch: typeof fetch = async (...request) => {
    const started = performance.now();
    try {
      const response = await fetch(...request);
      await response.clone().arrayBuffer();
      return response;
    } finally {
      gatewayMs += performance.now() - started;
    }
  };
  const client = createClient({ url: stack.gatewayUrl, token: await stack.token('bench-reader'), cachePath: join(dir, 'reader.db'), pushOnWrite: false, pullIntervalMs: 0, maxSessions: n + 100 }, { fetch: timedFetch });
  const { value, stackRssMB, stackCores, otherCores } = await sampled(stack, async () => {
    const started = performance.now();
    const pulled = await client.pull();
    return { seconds: (performance.now() - started) / 1000, pulled };
  });
  await client.close();
  const received = value.pulled.received.session;
  return {
    ok: received >= n,
    stackRssMB,
    stackCores,
    otherCores,
    figures: { sessions: received, pullSeconds: round(value.seconds, 2), gatewaySeconds: round(gatewayMs / 1000, 2), requests: value.pulled.pages, sessionsPerSecond: round(received / value.seconds, 0), goal: '< 2 s' },
  };
}

const MIX = [
  ['create', 10],
  ['update', 10],
  ['get', 30],
  ['list', 20],
  ['search', 15],
  ['feed', 15],
] as const;
const GET = `query Get($id: ID!) { session(id: $id) { id title version tags content { role text } submodule { id } } }`;
const LIST = `query List($first: Int) { sessions(first: $first) { nodes { id title privacyLevel tags } pageInfo { endCursor hasNextPage } } }`;
const UPDATE = `mutation Update($id: ID!, $baseVersion: Int!, $input: UpdateSessionInput!) { updateSession(id: $id, baseVersion: $baseVersion, input: $input) { id version } }`;
const SEARCH = `query Search($query: String!) { search(query: $query, limit: 10) { hits { score } } }`;
const FEED = `query Feed($after: String) { sessionChanges(after: $after, limit: 50) { changes { op id version } cursor hasMore } }`;

async function mixed(stack: StackProcess): Promise<Pick<Result, 'ok' | 'stackRssMB' | 'stackCores' | 'otherCores' | 'figures'>> {
  const submodules = CORPUS_SUBMODULES.slice(0, 4);
  const gen = makeGenerator(20261203);
  const corpus: SeedSession[] = Array.from({ length: 200 }, () => {
    const s = gen.session(new Date(Date.UTC(2026, 0, 1)));
    return { ...s, submoduleId: submodules[Math.floor(Math.random() * submodules.length)]!, content: s.content.map(({ role, text }) => ({ role, text })) };
  });
  log(`  seeding ${options.seed} sessions over ${submodules.length} submodules`);
  const { ids } = await stack.seed({ count: options.seed, sessions: corpus });
  const tokens = await Promise.all(submodules.map(async (s) => `Bearer ${await stack.token(s)}`));
  // Seeded session i is corpus[i % corpus.length]: a token reads its own submodule's and every non-PRIVATE one.
  const readable = submodules.map((s) => ids.filter((_, i) => corpus[i % corpus.length]!.submoduleId === s || corpus[i % corpus.length]!.privacyLevel !== 'PRIVATE'));
  // Per client: its token, the seeded ids it may read, the sessions it created (id → version) for its updates, its feed cursor.
  const clients = Array.from({ length: options.mixedConnections }, (_, n) => ({
    authorization: tokens[n % tokens.length]!,
    readable: readable[n % tokens.length]!,
    own: new Map<string, number>(),
    cursor: null as string | null,
  }));
  const totalWeight = MIX.reduce((a, [, w]) => a + w, 0);
  const pickOp = () => {
    let r = Math.random() * totalWeight;
    for (const [op, w] of MIX) if ((r -= w) < 0) return op;
    return MIX[0][0];
  };
  const body = (query: string, variables: Record<string, unknown>) => JSON.stringify({ query, variables });
  const next = (n: number): MixedRequest => {
    const c = clients[n]!;
    let op: (typeof MIX)[number][0] = pickOp();
    if (op === 'update' && c.own.size === 0) op = 'create';
    const { authorization } = c;
    switch (op) {
      case 'create': {
        const s = corpus[Math.floor(Math.random() * corpus.length)]!;
        const input = { title: s.title, description: s.description, privacyLevel: 'TEAM', tags: s.tags, content: s.content, idempotencyKey: randomUUID() };
        return { op, authorization, body: body(CREATE_SESSION, { input }), check: (d) => (d.createSession?.id ? void c.own.set(d.createSession.id, d.createSession.version) : 'no session created') };
      }
      case 'update': {
        const [id, version] = [...c.own.entries()][Math.floor(Math.random() * c.own.size)]!;
        const input = { tags: ['bench', `rev-${version + 1}`], idempotencyKey: randomUUID() };
        return { op, authorization, body: body(UPDATE, { id, baseVersion: version, input }), check: (d) => (d.updateSession?.version === version + 1 ? void c.own.set(id, version + 1) : `version ${d.updateSession?.version}, expected ${version + 1}`) };
      }
      case 'get': {
        const id = c.readable[Math.floor(Math.random() * c.readable.length)]!;
        return { op, authorization, body: body(GET, { id }), check: (d) => (d.session?.id === id ? undefined : `session ${id} missing`) };
      }
      case 'list':
        return { op, authorization, body: body(LIST, { first: 20 }), check: (d) => (Array.isArray(d.sessions?.nodes) && d.sessions.nodes.length > 0 ? undefined : 'empty list') };
      case 'search': {
        const query = QUERIES[Math.floor(Math.random() * QUERIES.length)]!;
        return { op, authorization, body: body(SEARCH, { query }), check: (d) => (Array.isArray(d.search?.hits) ? undefined : 'no hits array') };
      }
      case 'feed':
        return {
          op,
          authorization,
          body: body(FEED, { after: c.cursor }),
          check: (d) => {
            if (typeof d.sessionChanges?.cursor !== 'string') return 'no cursor';
            c.cursor = d.sessionChanges.cursor; // a follower: pages through the history, then polls the tail
            return undefined;
          },
        };
    }
  };
  log(`  mixed load: ${options.mixedConnections} connections, ${options.warmupS} s warm-up, ${options.durationS} s (${MIX.map(([op, w]) => `${op} ${w}%`).join(', ')})`);
  if (options.warmupS > 0) await fireMixed({ url: stack.gatewayUrl, connections: options.mixedConnections, durationS: options.warmupS, next });
  const { value, stackRssMB, stackCores, otherCores } = await sampled(stack, () => fireMixed({ url: stack.gatewayUrl, connections: options.mixedConnections, durationS: options.durationS, next }));
  if (value.problems.length) log(`  problems: ${value.problems.join(' | ')}`);
  const stackCpuMsPerRequest = cpuPerRequest(stackCores, value.durationS, value.requests);
  return { ok: value.requests > 0 && value.failed === 0, stackRssMB, stackCores, otherCores, figures: { seeded: options.seed, mix: Object.fromEntries(MIX), ...value, stackCpuMsPerRequest, goal: '>= 3x 30 req/s embedded (90 req/s)' } };
}

/** A MEMORY-CONTEXT folder in the seed's layout: memory-context.db with `n` sessions (the corpus's text). */
function writeSeedFolder(dir: string, n: number): void {
  mkdirSync(dir, { recursive: true });
  const db = new Database(join(dir, 'memory-context.db'));
  db.exec('CREATE TABLE sessions (session_id TEXT PRIMARY KEY, timestamp TEXT, title TEXT, description TEXT, privacy_level TEXT, conversation_json TEXT)');
  const insert = db.prepare('INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?)');
  const gen = makeGenerator(20261204);
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const at = new Date(Date.UTC(2025, 0, 1) + i * 60_000);
      const s = gen.session(at);
      insert.run(`seed-${i}`, at.toISOString(), s.title, s.description, 'team', JSON.stringify(s.content.map(({ role, text }) => ({ role, content: text }))));
    }
  })();
  db.close();
}

async function importScenario(stack: StackProcess, dir: string): Promise<Pick<Result, 'ok' | 'stackRssMB' | 'stackCores' | 'otherCores' | 'figures'>> {
  const n = options.sessions;
  const folder = join(dir, 'MEMORY-CONTEXT');
  writeSeedFolder(folder, n);
  log(`  memctx import of ${n} sessions`);
  const env = { ...process.env, MEMCTX_URL: stack.gatewayUrl, MEMCTX_TOKEN: await stack.token('bench-import'), MEMCTX_CACHE_PATH: join(dir, 'import.db') };
  const { value, stackRssMB, stackCores, otherCores } = await sampled(stack, async () => {
    const started = performance.now();
    // BENCH_IMPORT_CPU_PROF=<dir>: a CPU profile of the import process, for finding where its time goes.
    const profile = process.env.BENCH_IMPORT_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_IMPORT_CPU_PROF}`] : [];
    const { stdout } = await promisify(execFile)(process.execPath, [...profile, join(REPO, 'sdk/bin/memctx.js'), 'import', folder, '--json'], { cwd: REPO, env, maxBuffer: 256 * 1024 * 1024 });
    return { seconds: (performance.now() - started) / 1000, report: JSON.parse(stdout) as ImportReport };
  });
  const imported = value.report.counts.session.imported;
  const remaining = value.report.flush?.remaining ?? 0;
  return {
    ok: imported === n && remaining === 0 && value.report.failures.length === 0,
    stackRssMB,
    stackCores,
    otherCores,
    figures: { sessions: n, imported, remaining, failures: value.report.failures.length, importSeconds: round(value.seconds, 2), sessionsPerSecond: round(n / value.seconds, 1), goal: '< 20 s embedded' },
  };
}

// ---------------------------------------------------------------- run

const machine = machineInfo();
log(`throughput bench: ${describeMachine(machine)}; ${process.env.MEMCTX_DATABASE_URL ? 'Postgres' : 'PGlite in a data directory'}`);
const results: Result[] = [];
for (const scenario of options.scenarios) {
  const layouts = options.layouts ?? (scenario === 'mixed' ? (['threads', 'single'] as const) : (['threads'] as const));
  for (const layout of layouts) {
    log(`\n${scenario} (layout ${layout})`);
    const dir = mkdtempSync(join(os.tmpdir(), 'memctx-throughput-'));
    const stack = await startStackProcess(layout);
    try {
      const run = { flush: () => flush(stack, dir), create: () => create(stack), pull: () => pull(stack, dir), mixed: () => mixed(stack), import: () => importScenario(stack, dir) }[scenario];
      const outcome = await run();
      const result: Result = { scenario, database: stack.database, databaseVersion: stack.databaseVersion, layout, at: new Date().toISOString(), ...outcome };
      results.push(result);
      log(`  ${result.ok ? '' : 'FAILED '}${JSON.stringify(result.figures)}`);
      log(`  stack RSS at most ${result.stackRssMB} MB, stack CPU ${result.stackCores ?? '?'} cores; other processes ${result.otherCores ?? '?'} cores`);
    } finally {
      await stack.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

// Merged by scenario, database and layout, so runs of single scenarios build one file.
const previous = existsSync(options.out) ? (JSON.parse(readFileSync(options.out, 'utf8')) as { results?: Record<string, unknown> }) : {};
const merged = { ...(previous.results ?? {}) };
for (const r of results) merged[`${r.scenario}.${r.database}.${r.layout}`] = { ...r, machine };
mkdirSync(dirname(options.out), { recursive: true });
writeFileSync(options.out, `${JSON.stringify({ updatedAt: new Date().toISOString(), results: merged }, null, 2)}\n`);
log(`\nwrote ${options.out}`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
