/**
 * Search figures: `npx tsx e2e/bench/search-bench.ts [--quick] [--sizes 1000,10000,100000]`,
 * or `runSearchBench(options)` from `npm run bench`.
 *
 * For each size N, a fresh embedded stack (`startTestStack`: in-memory PGlite,
 * or a new database on MEMCTX_DATABASE_URL's server) is seeded with N memory
 * entities written straight into the entity tables and their change feeds
 * (seeding is not measured), then:
 *
 * - indexing: from the commit that makes the N change rows visible until the
 *   indexer's cursors reach the feeds' heads (`indexer.catchUp()` resolves and
 *   `indexer.lag()` is zero everywhere) → documents/s;
 * - search: ~30 natural queries rotated over 8 concurrent connections
 *   (autocannon in a worker thread), non-admin tokens of every submodule,
 *   through the gateway and straight to the search subgraph → p50/p95/p99,
 *   req/s, failed requests;
 * - freshness: a session written through the gateway with a unique word,
 *   then LEXICAL search every 50 ms until it is found.
 *
 * Writes e2e/bench/results/search.json (runs of other databases or sizes
 * already there are kept) and e2e/bench/results/search-section.md.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import autocannon, { type AutocannonResult } from 'autocannon';
import { sql, type SQL } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { checkpointChanges, checkpoints, patternChanges, patterns, rawRows, sessionChanges, sessions, type Db } from '@memory-context/db';
import type { TestStack } from '../src/harness.js';
import { MachineCpu, type CpuCores } from './machine-cpu.js';

// Before the stack's modules load (they are imported lazily below).
process.env.APOLLO_TELEMETRY_DISABLED = '1';
process.env.MEMCTX_LOG_LEVEL = 'silent';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');
const hook = (name: string) => join(HERE, 'hooks', `${name}.cjs`);

// ================================================================ shared helpers (nested-bench.ts imports them)

export const round = (n: number, digits = 2): number | null => (Number.isFinite(n) ? Number(n.toFixed(digits)) : null);

export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export function latencySummary(samples: number[] | Float64Array) {
  const sorted = Float64Array.from(samples).sort();
  return {
    samples: sorted.length,
    p50: round(percentile(sorted, 0.5)),
    p95: round(percentile(sorted, 0.95)),
    p99: round(percentile(sorted, 0.99)),
    mean: round(sorted.reduce((a, b) => a + b, 0) / sorted.length),
    max: round(sorted.at(-1) ?? Number.NaN),
  };
}

export interface Machine {
  os: string;
  cpuModel: string;
  cpuCount: number;
  totalMemoryMB: number;
  node: string;
  loadAverageAtStart: number[];
}

export function machineInfo(): Machine {
  const cpus = os.cpus();
  return {
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: cpus.length,
    totalMemoryMB: Math.round(os.totalmem() / 2 ** 20),
    node: process.version,
    loadAverageAtStart: os.loadavg().map((l) => round(l, 2)!),
  };
}

/** One request of a load run: a body and the token it is sent with. */
export interface LoadItem {
  body: string;
  authorization: string;
}

export interface LoadResult {
  key: string;
  url: string;
  connections: number;
  durationS: number;
  requests: number;
  requestsPerSecond: number;
  latencyMs: ReturnType<typeof latencySummary>;
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

const CAPACITY = 2_000_000;
const latencyBuffer = new SharedArrayBuffer(CAPACITY * Float64Array.BYTES_PER_ELEMENT);
const countBuffer = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
const latencyView = new Float64Array(latencyBuffer);
const countView = new Int32Array(countBuffer);

/**
 * Fires `items` (rotated) at `url` from an autocannon worker thread, with the
 * repository's hooks (e2e/bench/hooks): per-request token and body, every
 * response time recorded at sub-millisecond precision, and a response counted
 * good only with `data` and no `errors`.
 */
async function fire(url: string, items: LoadItem[], connections: number, durationS: number) {
  Atomics.store(countView, 0, 0);
  const memctxBench = { items, latencies: latencyBuffer, count: countBuffer };
  (globalThis as { __memctxBench?: unknown }).__memctxBench = memctxBench;
  const result: AutocannonResult = await autocannon({
    url,
    connections,
    duration: durationS,
    workers: 1,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [{ setupRequest: hook('setup-request') }],
    setupClient: hook('setup-client'),
    verifyBody: hook('verify-body'),
    timeout: 20,
    memctxBench,
  });
  const n = Math.min(Atomics.load(countView, 0), CAPACITY);
  return { result, samples: Float64Array.from(latencyView.subarray(0, n)) };
}

/** POSTs one body; returns the parsed JSON or a problem. */
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

/**
 * A closed-loop load run: `connections` clients each send the next item as
 * soon as the previous answer arrived, for `durationS` seconds after
 * `warmupS` unmeasured ones. `check` inspects full responses of a few
 * sequential requests before and after (data shape, not just "no errors").
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
  const sample = async () => {
    const problems: string[] = [];
    for (let i = 0; i < 4; i++) {
      const item = items[Math.floor(Math.random() * items.length)]!;
      const r = await post(url, item);
      const problem = r.problem ?? check(r.json!.data);
      if (problem) problems.push(problem);
    }
    return problems;
  };
  const before = await sample();
  if (warmupS > 0) await fire(url, items, connections, warmupS);
  const elu = performance.eventLoopUtilization();
  const cpu = new MachineCpu();
  const { result, samples } = await fire(url, items, connections, durationS);
  const serverThreadBusy = performance.eventLoopUtilization(elu).utilization;
  const cpuCores = cpu.stop();
  const after = await sample();
  const requests = result.latency.totalCount + result.non2xx;
  const out: LoadResult = {
    key,
    url,
    connections,
    durationS: result.duration,
    requests,
    requestsPerSecond: round(requests / result.duration, 1)!,
    latencyMs: latencySummary(samples),
    non2xx: result.non2xx,
    graphqlErrors: result.mismatches,
    connectionErrors: result.errors,
    timeouts: result.timeouts,
    sampleProblems: [...before, ...after],
    serverThreadBusy: round(serverThreadBusy, 3)!,
    cpuCores,
    ok: false,
  };
  out.ok = requests > 0 && out.non2xx === 0 && out.graphqlErrors === 0 && out.connectionErrors === 0 && out.timeouts === 0 && out.sampleProblems.length === 0;
  log(
    `  ${key}: ${out.ok ? '' : 'FAILED '}${out.requestsPerSecond} req/s, p50 ${out.latencyMs.p50} ms, p95 ${out.latencyMs.p95} ms, p99 ${out.latencyMs.p99} ms` +
      ` (${requests} requests, errors ${out.non2xx + out.graphqlErrors + out.connectionErrors + out.timeouts}, server thread ${Math.round(serverThreadBusy * 100)}% busy,` +
      ` other processes ${cpuCores?.otherCores ?? '?'} cores)${out.sampleProblems.length ? ` sample problems: ${out.sampleProblems.slice(0, 2).join(' | ')}` : ''}`,
  );
  return out;
}

/** Counts and total wall time of calls to some methods of live objects (a probe, not a profiler). */
export class CallTimer {
  readonly totals = new Map<string, { calls: number; ms: number }>();
  enabled = false;

  wrap(label: string, target: object, method: string): void {
    const object = target as Record<string, unknown>;
    const original = object[method];
    if (typeof original !== 'function') return;
    object[method] = async (...args: unknown[]) => {
      if (!this.enabled) return (original as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      const started = performance.now();
      try {
        return await (original as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      } finally {
        const entry = this.totals.get(label) ?? { calls: 0, ms: 0 };
        entry.calls++;
        entry.ms += performance.now() - started;
        this.totals.set(label, entry);
      }
    };
  }

  reset(): void {
    this.totals.clear();
  }

  snapshot(): Record<string, { calls: number; ms: number }> {
    return Object.fromEntries([...this.totals].map(([k, v]) => [k, { calls: v.calls, ms: round(v.ms, 1)! }]));
  }
}

/**
 * Asks a URL every 100 ms from a worker thread (its own event loop), so a
 * stall of the server's thread shows as a slow answer.
 */
export class HealthProbe {
  private readonly worker: Worker;
  constructor(url: string) {
    this.worker = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
      const times = []; let stopped = false; let first;
      const firstAnswer = new Promise((r) => { first = r; });
      const loop = (async () => {
        while (!stopped) {
          const t = performance.now();
          try { await (await fetch(workerData)).text(); times.push(performance.now() - t); first(); } catch { times.push(-1); }
          if (!stopped) await new Promise((r) => setTimeout(r, 100));
        }
      })();
      parentPort.on('message', async (m) => {
        if (m === 'ready') { await firstAnswer; times.length = 0; parentPort.postMessage('ready'); }
        // The request in flight when the measured work ended counts: it waited through the stall.
        else { stopped = true; await loop; parentPort.postMessage(times); }
      });`,
      { eval: true, workerData: url },
    );
  }

  private ask<T>(message: string): Promise<T> {
    return new Promise((resolveAnswer) => {
      this.worker.once('message', resolveAnswer);
      this.worker.postMessage(message);
    });
  }

  async ready(): Promise<void> {
    await this.ask('ready');
  }

  /** Stops; the answers' count, slowest and median (ms), and failures. */
  async stop(): Promise<{ requests: number; maxMs: number | null; p50Ms: number | null; failures: number }> {
    const times = await this.ask<number[]>('stop');
    await this.worker.terminate();
    const good = times.filter((t) => t >= 0).sort((a, b) => a - b);
    return { requests: times.length, maxMs: round(good.at(-1) ?? Number.NaN, 0), p50Ms: round(percentile(good, 0.5), 1), failures: times.length - good.length };
  }
}

export async function startBenchStack(): Promise<{ stack: TestStack; database: 'pglite' | 'postgres'; databaseVersion: string }> {
  const { startTestStack } = await import('../src/harness.js');
  // Pass tuning variables through (the harness builds its config from its own env only).
  const passed = ['MEMCTX_INDEXER_BATCH_SIZE', 'MEMCTX_INDEXER_POLL_MS', 'MEMCTX_VECTOR_STORE', 'MEMCTX_QDRANT_URL', 'MEMCTX_QDRANT_API_KEY', 'MEMCTX_EMBEDDINGS', 'MEMCTX_DATABASE_POOL_SIZE'];
  const env = Object.fromEntries(passed.filter((k) => process.env[k]).map((k) => [k, process.env[k]!]));
  const stack = await startTestStack({}, env);
  const rows = await rawRows<{ v: string }>(stack.deps.database.db, sql`select version() as v`);
  return { stack, database: stack.deps.database.kind, databaseVersion: rows[0]?.v.split(',')[0] ?? 'unknown' };
}

// ================================================================ realistic memory

/** Deterministic pseudo-random numbers (mulberry32): every run seeds the same text. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const SUBMODULES = ['cloud-backend', 'web-frontend', 'mobile-app', 'data-pipeline', 'infra-ops', 'rust-engine', 'auth-service', 'docs-site'] as const;

interface Topic {
  tags: string[];
  subjects: string[];
  problems: string[];
  causes: string[];
  fixes: string[];
  files: string[];
}

/** Engineering topics an agent's memory is about; every session mixes one (sometimes two) of them. */
const TOPICS: Topic[] = [
  {
    tags: ['auth', 'sso', 'oidc'],
    subjects: ['login flow', 'SSO callback', 'OAuth token refresh', 'session cookie', 'identity provider integration'],
    problems: ['users get logged out after a few minutes', 'the OIDC callback answers 401', 'refresh tokens are rejected as reused', 'sign-in loops back to the login page'],
    causes: ['clock skew between pods when validating the iat claim', 'two tabs racing to refresh the same token', 'the SameSite attribute dropping the cookie on the redirect', 'a stale JWKS cache after key rotation'],
    fixes: ['add a 30-second leeway to the token verifier', 'serialise refreshes behind a single in-flight promise', 'set SameSite=None and Secure on the session cookie', 'refetch the JWKS when a kid is unknown'],
    files: ['src/auth/callback.ts', 'src/auth/refresh.ts', 'lib/session/cookie.go', 'auth/oidc/verifier.rs'],
  },
  {
    tags: ['permissions', 'rbac', 'security'],
    subjects: ['role-based access control', 'admin console permissions', 'project membership checks', 'API key scopes'],
    problems: ['viewers can edit billing settings', 'a revoked member still reads the project', 'service accounts bypass the scope check'],
    causes: ['the permission cache keyed by user only, not by project', 'a missing check in the GraphQL mutation resolver', 'roles loaded once at process start'],
    fixes: ['check permissions in one policy module instead of each handler', 'invalidate the role cache on membership change', 'deny by default and list allowed actions per role'],
    files: ['src/policy/rules.ts', 'app/permissions.py', 'internal/rbac/check.go'],
  },
  {
    tags: ['database', 'migrations', 'postgres'],
    subjects: ['schema migration', 'column rename', 'backfill job', 'migration runner'],
    problems: ['the migration locked the orders table for four minutes', 'a column rename broke the old pods during the rollout', 'the backfill saturated the primary'],
    causes: ['ALTER TABLE taking an ACCESS EXCLUSIVE lock behind a long transaction', 'deploying code and schema in one step', 'updating ten million rows in a single statement'],
    fixes: ['set lock_timeout and retry the migration', 'expand and contract: add the new column, dual-write, then drop the old one', 'backfill in batches of 5,000 rows with a pause between them'],
    files: ['migrations/0042_orders_status.sql', 'db/migrate/20250301_rename.rb', 'scripts/backfill.ts'],
  },
  {
    tags: ['performance', 'sql', 'database'],
    subjects: ['orders search query', 'reporting dashboard query', 'N+1 queries in the feed', 'slow SQL on the invoices page'],
    problems: ['the dashboard query takes 9 seconds', 'p95 latency doubled after the release', 'a sequential scan over the events table'],
    causes: ['a missing composite index on (account_id, created_at)', 'an ORM lazy load in a loop', 'statistics out of date after the bulk import'],
    fixes: ['add a covering index and check the plan with EXPLAIN ANALYZE', 'batch the lookups with a DataLoader', 'run ANALYZE after bulk loads'],
    files: ['src/reports/orders.sql', 'app/models/invoice.rb', 'internal/store/events.go'],
  },
  {
    tags: ['postgres', 'connection-pool', 'database'],
    subjects: ['connection pool', 'pgbouncer setup', 'database connections per pod'],
    problems: ['too many connections errors at peak', 'requests wait seconds for a free connection', 'idle in transaction sessions pile up'],
    causes: ['every pod opening 50 connections', 'a transaction left open across an HTTP call', 'pool size larger than max_connections divided by replicas'],
    fixes: ['put pgbouncer in transaction mode in front of Postgres', 'cap the pool at 10 per pod and set idle_in_transaction_session_timeout', 'move the HTTP call out of the transaction'],
    files: ['deploy/pgbouncer.ini', 'src/db/pool.ts', 'config/database.yml'],
  },
  {
    tags: ['cache', 'redis', 'performance'],
    subjects: ['Redis cache', 'product page cache', 'cache invalidation', 'CDN caching'],
    problems: ['customers see stale prices after an update', 'cache stampede when a hot key expires', 'Redis memory grows until eviction'],
    causes: ['invalidation sent before the database commit', 'all keys expiring at the same time', 'no TTL on session keys'],
    fixes: ['invalidate after commit from the outbox', 'add jitter to TTLs and a single-flight lock per key', 'set a TTL on every key and use allkeys-lru'],
    files: ['src/cache/products.ts', 'lib/cache.py', 'infra/redis.conf'],
  },
  {
    tags: ['rust', 'errors', 'panics'],
    subjects: ['Rust error handling', 'parser crate', 'ingest worker in Rust', 'unwrap calls'],
    problems: ['the worker panicked on a corrupt payload', 'errors lose their context on the way up', 'a panic in a spawned task went unnoticed'],
    causes: ['unwrap on untrusted input', 'mapping every error to a string', 'JoinHandle results never awaited'],
    fixes: ['return Result with thiserror enums and add context with anyhow', 'replace unwrap with the ? operator at every boundary', 'await JoinHandles and log panics with a hook'],
    files: ['src/parser/mod.rs', 'crates/ingest/src/worker.rs', 'src/error.rs'],
  },
  {
    tags: ['node', 'errors', 'async'],
    subjects: ['Node API server', 'background job runner', 'promise chains in the webhook handler'],
    problems: ['an unhandled promise rejection crashed the server', 'errors swallowed inside a forEach with async callbacks', 'the process exits without a stack trace'],
    causes: ['a floating promise without catch', 'async callbacks in Array.forEach', 'process.exit called before logs flushed'],
    fixes: ['enable no-floating-promises in the linter', 'use for…of with await or Promise.all', 'handle unhandledRejection and flush the logger before exit'],
    files: ['src/server.ts', 'src/jobs/runner.ts', 'src/webhooks/handler.ts'],
  },
  {
    tags: ['go', 'errors'],
    subjects: ['Go service error handling', 'error wrapping', 'sentinel errors'],
    problems: ['errors.Is no longer matches after the refactor', 'log lines say only "EOF"', 'HTTP 500 for a not-found record'],
    causes: ['wrapping with %v instead of %w', 'no context added at call sites', 'comparing errors with =='],
    fixes: ['wrap with fmt.Errorf and %w, check with errors.Is', 'define sentinel errors per package', 'map domain errors to status codes in one place'],
    files: ['internal/store/errors.go', 'cmd/api/handlers.go', 'pkg/httpx/errors.go'],
  },
  {
    tags: ['resilience', 'retries', 'timeouts'],
    subjects: ['payment provider client', 'retry policy', 'HTTP client timeouts', 'third-party API calls'],
    problems: ['a third-party API hangs forever and requests pile up', 'retries amplified an outage', 'duplicate charges after a timeout'],
    causes: ['no timeout on the HTTP client', 'retrying immediately without backoff', 'retrying a non-idempotent request'],
    fixes: ['set connect and read timeouts and a total deadline', 'retry with exponential backoff and jitter, at most three times', 'send an idempotency key with every payment request'],
    files: ['src/clients/payments.ts', 'lib/http/retry.go', 'app/services/stripe_client.rb'],
  },
  {
    tags: ['observability', 'tracing', 'opentelemetry'],
    subjects: ['distributed tracing', 'OpenTelemetry setup', 'trace propagation', 'structured logging'],
    problems: ['traces stop at the message queue', 'we cannot tell which service is slow', 'log lines lack request ids'],
    causes: ['trace context not injected into Kafka headers', 'sampling at 1% dropping slow requests', 'the logger created before the request context'],
    fixes: ['propagate W3C traceparent through the queue headers', 'use tail-based sampling that keeps slow traces', 'add the request id to a child logger per request'],
    files: ['src/telemetry/tracing.ts', 'otel-collector.yaml', 'pkg/log/context.go'],
  },
  {
    tags: ['alerting', 'on-call', 'monitoring'],
    subjects: ['pager alerts', 'alert rules', 'on-call rotation', 'SLO burn rate alerts'],
    problems: ['the pager goes off at night for nothing', 'a disk-full outage raised no alert', 'alerts fire on every deploy'],
    causes: ['thresholds on raw CPU instead of user-facing symptoms', 'no alert on disk usage trend', 'alerts without a for: duration'],
    fixes: ['alert on SLO burn rate instead of CPU', 'predict disk full with predict_linear', 'add for: 10m and silence during deploys'],
    files: ['monitoring/alerts.yaml', 'prometheus/rules/slo.yml', 'runbooks/disk-full.md'],
  },
  {
    tags: ['ci', 'testing', 'flaky'],
    subjects: ['integration test suite', 'CI pipeline', 'end-to-end tests', 'test database setup'],
    problems: ['flaky integration tests fail one run in five', 'tests pass locally but fail on the runner', 'a test depends on the order of execution'],
    causes: ['a shared database between parallel workers', 'waiting with fixed sleeps', 'time zone differences on the CI runner'],
    fixes: ['give each worker its own schema', 'wait for conditions instead of sleeping', 'pin TZ=UTC in the test environment'],
    files: ['.github/workflows/ci.yml', 'test/setup/db.ts', 'spec/support/database_cleaner.rb'],
  },
  {
    tags: ['ci', 'build', 'performance'],
    subjects: ['CI build time', 'dependency cache', 'Docker layer cache in CI', 'monorepo build graph'],
    problems: ['the CI build takes 40 minutes', 'the dependency cache never hits', 'every change rebuilds every package'],
    causes: ['a cache key without the lockfile hash', 'tests run serially on one runner', 'no affected-project detection'],
    fixes: ['key the cache on the lockfile hash', 'shard the tests over four runners', 'build only affected projects with the task graph'],
    files: ['.github/workflows/build.yml', 'nx.json', '.gitlab-ci.yml'],
  },
  {
    tags: ['kubernetes', 'deploy', 'rollback'],
    subjects: ['Kubernetes rollout', 'Helm chart', 'readiness probes', 'release rollback'],
    problems: ['the rollout went wrong and half the pods crash-looped', 'a bad release stayed live for an hour', 'pods receive traffic before they are ready'],
    causes: ['a readiness probe that only checks the process', 'no automatic rollback on failed health checks', 'maxUnavailable set too high'],
    fixes: ['make the readiness probe check dependencies', 'roll back with helm rollback and gate on error rate', 'use maxSurge 1 and maxUnavailable 0'],
    files: ['charts/api/values.yaml', 'k8s/deployment.yaml', 'deploy/rollout.sh'],
  },
  {
    tags: ['docker', 'images', 'security'],
    subjects: ['container image', 'Dockerfile', 'base image'],
    problems: ['the image is 1.8 GB', 'image builds take ten minutes', 'the scanner reports critical CVEs in the base image'],
    causes: ['build tools left in the final stage', 'COPY . before installing dependencies', 'an outdated full Debian base'],
    fixes: ['use a multi-stage build with a distroless final stage', 'copy the lockfile first to cache the dependency layer', 'switch to a slim base image and rebuild weekly'],
    files: ['Dockerfile', 'docker/api.Dockerfile', '.dockerignore'],
  },
  {
    tags: ['react', 'frontend', 'performance'],
    subjects: ['React component tree', 'product list page', 'state management', 'form rendering'],
    problems: ['the list re-renders on every keystroke', 'typing lags in the search box', 'global state updates re-render the whole app'],
    causes: ['a new object passed as a prop on every render', 'context holding fast-changing values', 'derived data recomputed in render'],
    fixes: ['memoize the rows with React.memo and stable callbacks', 'split the context and keep input state local', 'move server state into a query cache'],
    files: ['src/components/ProductList.tsx', 'src/state/store.ts', 'src/hooks/useSearch.ts'],
  },
  {
    tags: ['accessibility', 'a11y', 'frontend'],
    subjects: ['screen reader support', 'keyboard navigation', 'modal dialog', 'colour contrast'],
    problems: ['screen readers announce nothing when the dialog opens', 'focus is lost after closing the modal', 'buttons are not reachable with the keyboard'],
    causes: ['divs with click handlers instead of buttons', 'no aria-live region for updates', 'focus not trapped inside the dialog'],
    fixes: ['use native buttons and label every control', 'trap focus in the dialog and restore it on close', 'announce status changes in an aria-live region'],
    files: ['src/components/Modal.tsx', 'src/a11y/announce.ts', 'styles/tokens.css'],
  },
  {
    tags: ['i18n', 'localization', 'frontend'],
    subjects: ['translations', 'date formatting', 'plural rules', 'right-to-left layout'],
    problems: ['German strings overflow the buttons', 'dates show in US format for every locale', 'plural forms are wrong in Polish'],
    causes: ['hard-coded English concatenation', 'formatting dates by hand', 'a plural rule of one versus many'],
    fixes: ['use ICU message format for every string', 'format with Intl.DateTimeFormat per locale', 'extract strings and load translations per route'],
    files: ['src/i18n/messages.ts', 'locales/de.json', 'src/utils/format.ts'],
  },
  {
    tags: ['mobile', 'push', 'offline'],
    subjects: ['push notifications', 'offline mode', 'background sync', 'APNs integration'],
    problems: ['push notifications do not arrive on iOS', 'the app is unusable without internet', 'edits made offline are lost'],
    causes: ['an expired APNs certificate', 'every screen fetching from the network', 'the sync queue kept in memory only'],
    fixes: ['switch to token-based APNs authentication', 'cache reads locally and sync in the background', 'persist the outbox in SQLite and replay it on reconnect'],
    files: ['ios/Push/NotificationService.swift', 'app/sync/outbox.ts', 'android/app/src/main/SyncWorker.kt'],
  },
  {
    tags: ['kafka', 'etl', 'data'],
    subjects: ['Kafka consumer', 'ETL pipeline', 'event backfill', 'nightly batch job'],
    problems: ['consumer lag grows every evening', 'the nightly job writes duplicate rows', 'a poison message blocks the partition'],
    causes: ['one slow partition with a hot key', 'no idempotent upsert in the sink', 'retrying the same message forever'],
    fixes: ['re-key the topic and add partitions', 'upsert on a natural key in the sink', 'send failures to a dead-letter topic after three attempts'],
    files: ['pipelines/orders_etl.py', 'consumers/events.go', 'dags/nightly.py'],
  },
  {
    tags: ['rate-limiting', 'api', 'abuse'],
    subjects: ['rate limiter', 'public API quotas', 'login throttling'],
    problems: ['one customer exhausted the API for everyone', 'credential stuffing against the login endpoint', 'the limiter blocks legitimate bursts'],
    causes: ['a global limit instead of per-key limits', 'no throttling per IP and account', 'a fixed window counter'],
    fixes: ['use a token bucket per API key in Redis', 'throttle login attempts per account and IP with backoff', 'switch to a sliding window limiter'],
    files: ['src/middleware/rateLimit.ts', 'gateway/limits.lua', 'internal/ratelimit/bucket.go'],
  },
  {
    tags: ['memory', 'performance', 'profiling'],
    subjects: ['memory leak', 'heap growth', 'profiling session', 'worker memory'],
    problems: ['memory grows until the pod is OOM-killed', 'the heap doubles every hour', 'garbage collection pauses of 2 seconds'],
    causes: ['an unbounded in-memory map', 'event listeners never removed', 'large buffers kept by a closure'],
    fixes: ['cap the map with an LRU of 10,000 entries', 'remove listeners on teardown', 'take heap snapshots and compare retainers'],
    files: ['src/cache/lru.ts', 'src/events/bus.ts', 'pkg/worker/pool.go'],
  },
  {
    tags: ['concurrency', 'deadlock', 'database'],
    subjects: ['deadlock in the order service', 'race condition', 'lock ordering', 'concurrent updates'],
    problems: ['deadlock detected errors during checkout', 'two workers process the same job', 'lost updates to the inventory count'],
    causes: ['rows locked in a different order in two code paths', 'no SELECT FOR UPDATE SKIP LOCKED on the job table', 'read-modify-write without a version check'],
    fixes: ['lock rows in primary key order', 'claim jobs with FOR UPDATE SKIP LOCKED', 'use optimistic locking with a version column'],
    files: ['src/orders/checkout.ts', 'jobs/queue.sql', 'internal/inventory/update.go'],
  },
  {
    tags: ['graphql', 'api', 'schema'],
    subjects: ['GraphQL schema', 'API versioning', 'federated gateway', 'breaking change'],
    problems: ['removing a field broke the mobile app', 'the gateway composition fails after a subgraph change', 'clients still send a deprecated argument'],
    causes: ['no schema check in CI', 'a type owned by two subgraphs', 'no usage data before removing fields'],
    fixes: ['run schema checks against recorded operations in CI', 'deprecate first and remove after usage drops to zero', 'give each entity one owning subgraph'],
    files: ['schema/api.graphql', 'gateway/supergraph.yaml', 'src/resolvers/orders.ts'],
  },
  {
    tags: ['payments', 'stripe', 'webhooks'],
    subjects: ['Stripe webhooks', 'checkout payments', 'refund flow'],
    problems: ['customers were charged twice', 'webhooks arrive out of order', 'signature verification fails behind the proxy'],
    causes: ['the webhook handler not idempotent', 'processing events in arrival order', 'the body parsed before verifying the signature'],
    fixes: ['store processed event ids and skip repeats', 'fetch the current object state instead of trusting event order', 'verify the signature on the raw body'],
    files: ['src/payments/webhooks.ts', 'app/controllers/stripe_controller.rb', 'billing/refunds.go'],
  },
];

const WHEN = ['this morning', "yesterday's deploy", 'the last release', 'Friday night', 'the upgrade to Node 20', 'the migration to the new cluster'];
const WHERE = ['staging', 'production', 'the CI runners', 'a developer laptop', 'the canary pods', 'the EU region'];
const USER_LINES = [
  '{Problem} in the {subject} since {when}; can you find out why?',
  'The {subject} shows it again: {problem} ({ticket}). Please take a look.',
  'We need to fix this before the release: {problem}.',
  'Can you explain why {problem} on {where}?',
  'Is "{fix}" the right approach for the {subject}, or is there something simpler?',
  'Add a regression test for the {subject}; last time {problem} slipped through review.',
];
const ASSISTANT_LINES = [
  'I traced it to {cause} in {file}.',
  'The root cause is {cause}. I will {fix}.',
  'I changed {file} to {fix}; {metric}.',
  'Reproduced on {where}: {problem} happens when {cause}.',
  'Proposed fix: {fix}. It keeps the {subject} backwards compatible.',
  'Done. I also documented why in the README of the {subject} so the next person does not repeat it.',
];
const TOOL_LINES = [
  '$ npm test -- {file}\n{n} passed, {m} failed ({s} s)',
  '$ git diff --stat\n {n} files changed, {k} insertions(+), {m} deletions(-)',
  '$ grep -rn "{word}" src/ | wc -l\n{n}',
  'ERROR {code} at {file}:{line} ({ticket})',
  '$ kubectl logs deploy/{service} --since=1h | grep -c "{word}"\n{k}',
];
const METRICS = ['p95 went from {a} ms to {b} ms', 'the error rate dropped from {p}% to 0', 'memory stays flat at {a} MB', 'the job now finishes in {b} s instead of {a} s'];
const DESCRIPTIONS = ['Investigated {problem} in the {subject}.', 'Agent session about the {subject} after {when}.', 'Fixed {problem}; {fix}.', 'Follow-up of {ticket}: the {subject} on {where}.'];
const KINDS = ['SOLUTION', 'ERROR_FIX', 'CONVENTION', 'WORKFLOW', 'ANTI_PATTERN'] as const;

export function makeGenerator(seed: number) {
  const random = rng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  const fill = (template: string, t: Topic) => {
    const vars: Record<string, () => string> = {
      problem: () => pick(t.problems),
      Problem: () => cap(pick(t.problems)),
      subject: () => pick(t.subjects),
      cause: () => pick(t.causes),
      fix: () => pick(t.fixes),
      file: () => pick(t.files),
      when: () => pick(WHEN),
      where: () => pick(WHERE),
      ticket: () => `ENG-${int(100, 9999)}`,
      metric: () => fill(pick(METRICS), t),
      n: () => String(int(2, 60)),
      m: () => String(int(0, 9)),
      k: () => String(int(10, 400)),
      s: () => (random() * 40).toFixed(1),
      a: () => String(int(120, 900)),
      b: () => String(int(8, 110)),
      p: () => (random() * 5).toFixed(1),
      line: () => String(int(10, 800)),
      code: () => pick(['E_TIMEOUT', 'ECONNRESET', '40P01', 'ERR_UNHANDLED_REJECTION', '401', '503', 'OOMKilled']),
      word: () => pick(t.tags),
      service: () => pick(['api', 'worker', 'gateway', 'ingest', 'billing']),
    };
    return template.replace(/\{(\w+)\}/g, (_, name: string) => vars[name]?.() ?? name);
  };
  const topicOf = () => pick(TOPICS);
  const level = (): 'PUBLIC' | 'TEAM' | 'PRIVATE' => {
    const r = random();
    return r < 0.1 ? 'PRIVATE' : r < 0.3 ? 'PUBLIC' : 'TEAM';
  };
  return {
    random,
    session(createdAt: Date) {
      const t = topicOf();
      const other = random() < 0.15 ? topicOf() : t;
      const content: Array<{ role: string; text: string; at: string }> = [];
      const turns = int(3, 7);
      for (let i = 0; i < turns; i++) {
        const role = i === 0 ? 'user' : pick(['assistant', 'assistant', 'tool', 'user'] as const);
        const lines = role === 'user' ? USER_LINES : role === 'tool' ? TOOL_LINES : ASSISTANT_LINES;
        const topic = i === turns - 1 ? other : t;
        const text = [fill(pick(lines), topic), fill(pick(lines), topic)].join(role === 'tool' ? '\n' : ' ');
        content.push({ role, text, at: new Date(createdAt.getTime() + i * 60_000).toISOString() });
      }
      const title = random() < 0.5 ? `${cap(pick(t.problems))} (${pick(t.subjects)})` : `${cap(pick(t.fixes))} in the ${pick(t.subjects)}`;
      return {
        submoduleId: pick(SUBMODULES),
        privacyLevel: level(),
        title: title.slice(0, 200),
        description: fill(pick(DESCRIPTIONS), t),
        tags: [...new Set([pick(t.tags), pick(t.tags), ...(random() < 0.3 ? [pick(other.tags)] : [])])],
        content,
      };
    },
    pattern(index: number) {
      const t = topicOf();
      const kind = pick(KINDS);
      const fix = pick(t.fixes);
      return {
        submoduleId: pick(SUBMODULES),
        privacyLevel: level(),
        kind,
        name: `${cap(fix)} (${pick(t.subjects)})`,
        description: `When ${pick(t.problems)}, the cause is usually ${pick(t.causes)}.`,
        body: { problem: pick(t.problems), cause: pick(t.causes), fix, steps: [fill('Reproduce on {where}', t), fill('Check {file}', t), cap(pick(t.fixes))], seen_in: `${pick(t.files)}:${int(10, 900)}`, ticket: `ENG-${index}` },
        tags: [...new Set([pick(t.tags), pick(t.tags)])],
      };
    },
    checkpoint() {
      const t = topicOf();
      const done = [cap(pick(t.fixes)), cap(pick(t.fixes)), fill('Regression test for {problem}', t)];
      return {
        submoduleId: pick(SUBMODULES),
        privacyLevel: level(),
        title: `${cap(pick(t.subjects))}: ${pick(t.fixes)}`.slice(0, 200),
        gitRef: randomHex(random, 40),
        summary: fill('{Problem} fixed; {fix}. Tests green on {where}.', t),
        content: `## Done\n${done.map((d) => `- ${d}`).join('\n')}\n\n## Next\n- ${cap(pick(t.fixes))}\n- ${fill('Watch {subject} metrics after {when}', t)}`,
      };
    },
  };
}

function randomHex(random: () => number, length: number): string {
  let s = '';
  while (s.length < length) s += Math.floor(random() * 16).toString(16);
  return s;
}

/** Natural questions an agent asks (from e2e/search-relevance), about the topics above and some not. */
export const QUERIES = [
  'Show me all sessions about authentication',
  'login problems',
  'how did we fix the token refresh race?',
  'single sign-on with the corporate identity provider',
  'who is allowed to do what - role based permissions',
  'find patterns related to database migrations',
  'renaming a column without downtime',
  'schema change locked the table in production',
  'anything about speeding up slow SQL queries',
  'missing index',
  'too many connections to postgres',
  'Redis caching strategy',
  'stale data served after an update',
  'what have we learned about error handling in Rust',
  'service died on a corrupt payload',
  'unhandled promise rejection crashed the node server',
  'wrapping errors in Go',
  'retry with exponential backoff',
  'third-party API hangs forever',
  'distributed tracing setup',
  'getting woken up at night for nothing',
  'flaky integration tests in the pipeline',
  'make the CI build faster',
  'k8s rollout went wrong before?',
  'shrinking container images',
  'React component re-rendering too often',
  'screen reader support',
  'translating the UI into other languages',
  'push notifications not arriving on iOS',
  'customers charged twice by the payment webhook',
];

// ================================================================ seeding

export interface SeedSummary {
  sessions: number;
  patterns: number;
  checkpoints: number;
  privateShare: number;
  avgIndexedChars: number;
  seconds: number;
}

/**
 * Writes `total` entities (85% sessions, 10% patterns, 5% checkpoints) into
 * the entity tables in multi-row inserts, then their UPSERT change rows (v1,
 * same submodule and level) in ONE transaction, holding each feed's advisory
 * lock as appendChange does: the indexer sees nothing until that commit, so
 * indexing is timed from a single, known instant.
 */
export async function seedEntities(db: Db, total: number, log: (line: string) => void, seed = 20260511): Promise<{ summary: SeedSummary; publish: () => Promise<void> }> {
  const { patternFingerprint, mergeScope } = await import('@memory-context/patterns-service');
  const gen = makeGenerator(seed + total);
  const started = performance.now();
  const nPatterns = Math.round(total * 0.1);
  const nCheckpoints = Math.round(total * 0.05);
  const nSessions = total - nPatterns - nCheckpoints;
  const changes = { sessions: [] as ChangeRow[], patterns: [] as ChangeRow[], checkpoints: [] as ChangeRow[] };
  const start = Date.UTC(2025, 0, 1);
  const span = Date.UTC(2026, 4, 1) - start;
  const at = (i: number, of: number) => new Date(start + Math.floor((span * i) / of));
  let privateCount = 0;
  let chars = 0;
  const CHUNK = 500;

  for (let from = 0; from < nSessions; from += CHUNK) {
    const rows = Array.from({ length: Math.min(CHUNK, nSessions - from) }, (_, k) => {
      const createdAt = at(from + k, nSessions);
      const s = gen.session(createdAt);
      const contentJson = JSON.stringify(s.content);
      chars += s.title.length + s.description.length + s.content.reduce((n, m) => n + m.text.length, 0);
      return {
        id: uuidv7({ msecs: createdAt.getTime() }),
        ...s,
        createdAt,
        updatedAt: createdAt,
        startedAt: createdAt,
        endedAt: new Date(createdAt.getTime() + s.content.length * 60_000),
        contentHash: createHash('sha256').update(contentJson).digest('hex'),
        contentBytes: Buffer.byteLength(contentJson),
      };
    });
    await db.insert(sessions).values(rows);
    for (const r of rows) {
      if (r.privacyLevel === 'PRIVATE') privateCount++;
      changes.sessions.push({ entityId: r.id, submoduleId: r.submoduleId, privacyLevel: r.privacyLevel, op: 'UPSERT', version: 1 });
    }
    if ((from / CHUNK) % 20 === 19) log(`  seeded ${from + rows.length} sessions`);
  }
  for (let from = 0; from < nPatterns; from += CHUNK) {
    const rows = Array.from({ length: Math.min(CHUNK, nPatterns - from) }, (_, k) => {
      const createdAt = at(from + k, nPatterns);
      const p = gen.pattern(from + k);
      chars += p.name.length + p.description.length + JSON.stringify(p.body).length;
      return {
        id: uuidv7({ msecs: createdAt.getTime() }),
        ...p,
        fingerprint: patternFingerprint(p.kind, p.name, p.body),
        mergeScope: mergeScope(p.privacyLevel, p.submoduleId),
        occurrences: 1 + Math.floor(gen.random() * 4),
        createdAt,
        updatedAt: createdAt,
        firstSeenAt: createdAt,
        lastSeenAt: createdAt,
      };
    });
    await db.insert(patterns).values(rows);
    for (const r of rows) {
      if (r.privacyLevel === 'PRIVATE') privateCount++;
      changes.patterns.push({ entityId: r.id, submoduleId: r.submoduleId, privacyLevel: r.privacyLevel, op: 'UPSERT', version: 1 });
    }
  }
  for (let from = 0; from < nCheckpoints; from += CHUNK) {
    const rows = Array.from({ length: Math.min(CHUNK, nCheckpoints - from) }, (_, k) => {
      const createdAt = at(from + k, nCheckpoints);
      const c = gen.checkpoint();
      chars += c.title.length + c.summary.length + c.content.length;
      return {
        id: uuidv7({ msecs: createdAt.getTime() }),
        ...c,
        takenAt: createdAt,
        createdAt,
        updatedAt: createdAt,
        contentHash: createHash('sha256').update(c.content, 'utf8').digest('hex'),
        contentBytes: Buffer.byteLength(c.content),
      };
    });
    await db.insert(checkpoints).values(rows);
    for (const r of rows) {
      if (r.privacyLevel === 'PRIVATE') privateCount++;
      changes.checkpoints.push({ entityId: r.id, submoduleId: r.submoduleId, privacyLevel: r.privacyLevel, op: 'UPSERT', version: 1 });
    }
  }
  const summary: SeedSummary = {
    sessions: nSessions,
    patterns: nPatterns,
    checkpoints: nCheckpoints,
    privateShare: round(privateCount / total, 3)!,
    avgIndexedChars: Math.round(chars / total),
    seconds: round((performance.now() - started) / 1000, 1)!,
  };
  return { summary, publish: () => publishChanges(db, changes) };
}

interface ChangeRow {
  entityId: string;
  submoduleId: string;
  privacyLevel: string;
  op: 'UPSERT';
  version: number;
}

/** Commits the seeded entities' change rows in one transaction; returns when it has committed. */
async function publishChanges(db: Db, changes: { sessions: ChangeRow[]; patterns: ChangeRow[]; checkpoints: ChangeRow[] }): Promise<void> {
  await db.transaction(async (tx) => {
    for (const [table, rows, name] of [
      [sessionChanges, changes.sessions, 'sessions.changes'],
      [patternChanges, changes.patterns, 'patterns.changes'],
      [checkpointChanges, changes.checkpoints, 'checkpoints.changes'],
    ] as const) {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${name}))`);
      for (let i = 0; i < rows.length; i += 2000) await tx.insert(table).values(rows.slice(i, i + 2000));
    }
  });
}

// ================================================================ the benchmark

const SEARCH_FULL = `query Search($q: String!, $mode: SearchMode, $limit: Int) { search(query: $q, mode: $mode, limit: $limit) { mode hits { score kind snippet entity { __typename ... on Session { id title submoduleId tags } ... on Pattern { id name kind occurrences } ... on Checkpoint { id title gitRef } } } } }`;
/** What the search subgraph answers alone (no entity fields from other subgraphs): for gateway vs direct. */
const SEARCH_IDS = `query Search($q: String!, $mode: SearchMode, $limit: Int) { search(query: $q, mode: $mode, limit: $limit) { mode hits { score kind snippet entity { __typename ... on Session { id } ... on Pattern { id } ... on Checkpoint { id } } } } }`;
const CREATE_SESSION = `mutation Create($input: CreateSessionInput!) { createSession(input: $input) { id } }`;
const INDEX_STATUS = `{ indexStatus { documents vectors model dimensions vectorStore feeds { feed lag } } }`;

export interface SearchBenchOptions {
  /** Entity counts to measure (default 1,000 and 10,000; quick: 1,000). */
  sizes?: number[];
  quick?: boolean;
  /** Concurrent connections of the search load (default 8). */
  connections?: number;
  /** Measured seconds per load run (default 10; quick 3). */
  durationS?: number;
  /** Unmeasured seconds before each load run (default 2; quick 1). */
  warmupS?: number;
  /** Freshness probes per size (default 5; quick 3). */
  freshnessRepeats?: number;
  /** The size at which LEXICAL and SEMANTIC are measured too (default 10,000, else the first size). */
  modesAt?: number;
  /** Stop after this many minutes of a size's indexing (default 25), reporting what was measured. */
  indexingTimeoutMin?: number;
  log?: (line: string) => void;
}

export interface SizeResult {
  size: number;
  seed: SeedSummary;
  indexing: {
    documents: number;
    seconds: number | null;
    documentsPerSecond: number | null;
    completed: boolean;
    /** Indexed count over time (s since the change rows committed). */
    timeline: Array<{ s: number; indexed: number }>;
    /** Wall time inside the indexer's steps (sum over calls). */
    breakdownMs: Record<string, { calls: number; ms: number }>;
    hnswIndex: boolean | null;
    status: Record<string, unknown> | null;
    cpuCores: CpuCores | null;
    /** The same provider embedding the same kind of texts alone, in batches of 64, on this thread. */
    embeddingOnlyTextsPerSecond: number | null;
    /** Weighted tsvectors computed in one statement, per second. */
    tsvectorOnlyPerSecond: number | null;
    /** The gateway's /health asked every 100 ms from a worker thread while indexing ran. */
    healthDuringIndexing: { requests: number; maxMs: number | null; p50Ms: number | null; failures: number };
  };
  /** Documents each query's full-text condition matches (all are ranked before the top 50 are kept). */
  /** Documents the OR of all the query's words matches, and those the lexical side ranks (`ranked*`, absent in older runs). */
  lexicalMatches: { mean: number; max: number; meanShare: number; rankedMean?: number; rankedMax?: number };
  unloaded: Record<string, { latencyMs: ReturnType<typeof latencySummary>; emptyResults: number; errors: number; breakdownMsPerQuery: Record<string, number> }>;
  /** HYBRID, one client, the three variants in turn per query: p50s and median paired differences. */
  pairedHybrid?: {
    samplesEach: number;
    errors: number;
    p50Ms: { gateway: number | null; gatewayIdsOnly: number | null; directIdsOnly: number | null };
    medianDifferenceMs: { gatewayOverhead: number | null; entityFields: number | null };
  };
  load: LoadResult[];
  freshness: {
    probes: Array<{ writeMs: number; visibleAfterAckMs: number | null; visibleAfterRequestMs: number | null; polls: number }>;
    medianAfterAckMs: number | null;
    maxAfterAckMs: number | null;
    medianAfterRequestMs: number | null;
    maxAfterRequestMs: number | null;
  } | null;
  rssMB: number;
  seconds: number;
  error?: string;
}

export interface SearchBenchResult {
  generatedAt: string;
  command: string;
  machine: Machine;
  database: 'pglite' | 'postgres';
  databaseVersion: string;
  vectorStore: string;
  embeddingModel: string;
  options: { sizes: number[]; quick: boolean; connections: number; durationS: number; warmupS: number; freshnessRepeats: number; modesAt: number; indexerBatchSize: number; queries: number };
  sizes: SizeResult[];
  goals: Array<{ goal: string; target: string; measured: number | null; met: boolean | null; note?: string }>;
  allRequestsSucceeded: boolean;
  maxOtherCores: number;
  totalSeconds: number;
}

export async function runSearchBench(input: SearchBenchOptions = {}): Promise<SearchBenchResult> {
  const quick = input.quick === true;
  const sizes = input.sizes ?? (quick ? [1_000] : [1_000, 10_000]);
  const options = {
    sizes,
    quick,
    connections: input.connections ?? 8,
    durationS: input.durationS ?? (quick ? 3 : 10),
    warmupS: input.warmupS ?? (quick ? 1 : 2),
    freshnessRepeats: input.freshnessRepeats ?? (quick ? 3 : 5),
    modesAt: input.modesAt ?? (sizes.includes(10_000) ? 10_000 : sizes[0]!),
    indexingTimeoutMin: input.indexingTimeoutMin ?? 25,
  };
  const log = input.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const started = performance.now();
  const machine = machineInfo();
  const results: SizeResult[] = [];
  let meta = { database: 'pglite' as 'pglite' | 'postgres', databaseVersion: 'unknown', vectorStore: 'unknown', embeddingModel: 'unknown', indexerBatchSize: 0 };
  log(`Search bench: sizes ${sizes.join(', ')}; ${machine.cpuModel} × ${machine.cpuCount}, ${machine.totalMemoryMB} MB, Node ${machine.node}, load average ${machine.loadAverageAtStart.join(' ')}`);

  for (const size of sizes) {
    const sizeStarted = performance.now();
    log(`\n== ${size.toLocaleString('en')} documents: starting a fresh stack`);
    const { stack, database, databaseVersion } = await startBenchStack();
    try {
      const result = await benchOneSize(stack, size, options, log);
      const status = result.indexing.status as { vectorStore?: string; model?: string } | null;
      meta = { database, databaseVersion, vectorStore: status?.vectorStore ?? meta.vectorStore, embeddingModel: status?.model ?? meta.embeddingModel, indexerBatchSize: stack.config.indexerBatchSize };
      result.seconds = round((performance.now() - sizeStarted) / 1000, 1)!;
      results.push(result);
    } finally {
      await stack.stop();
    }
  }

  const goals = searchGoals(results);

  const allLoad = results.flatMap((r) => r.load);
  return {
    generatedAt: new Date().toISOString(),
    command: [relative(process.cwd(), process.argv[1] ?? ''), ...process.argv.slice(2)].join(' '),
    machine,
    database: meta.database,
    databaseVersion: meta.databaseVersion,
    vectorStore: meta.vectorStore,
    embeddingModel: meta.embeddingModel,
    options: { sizes, quick, connections: options.connections, durationS: options.durationS, warmupS: options.warmupS, freshnessRepeats: options.freshnessRepeats, modesAt: options.modesAt, indexerBatchSize: meta.indexerBatchSize, queries: QUERIES.length },
    sizes: results,
    goals,
    allRequestsSucceeded: allLoad.every((l) => l.ok) && results.every((r) => !r.error && !r.pairedHybrid?.errors && Object.values(r.unloaded).every((u) => u.errors === 0)),
    maxOtherCores: Math.max(0, ...allLoad.map((l) => l.cpuCores?.otherCores ?? 0), ...results.map((r) => r.indexing.cpuCores?.otherCores ?? 0)),
    totalSeconds: round((performance.now() - started) / 1000, 1)!,
  };
}

/** The issue's goals, judged on whatever sizes were measured. */
export function searchGoals(results: SizeResult[]): SearchBenchResult['goals'] {
  const at = (n: number) => results.find((r) => r.size === n);
  const goals: SearchBenchResult['goals'] = [];
  const goal = (name: string, target: string, measured: number | null, met: boolean | null, note?: string) => goals.push({ goal: name, target, measured, met, ...(note ? { note } : {}) });
  for (const [n, limit] of [[10_000, 50], [100_000, 150]] as const) {
    const r = at(n);
    if (!r || r.load.length === 0) {
      goal(`search p95 at ${n.toLocaleString('en')} documents`, `< ${limit} ms`, null, null, r?.error ?? 'not measured');
      continue;
    }
    for (const key of ['HYBRID.gateway.1-connection', 'HYBRID.gateway'] as const) {
      const l = r.load.find((x) => x.key === key);
      const p95 = l?.latencyMs.p95 ?? null;
      goal(`search p95 at ${n.toLocaleString('en')} documents (HYBRID via gateway, ${l?.connections ?? '?'} connection${l?.connections === 1 ? '' : 's'})`, `< ${limit} ms`, p95, p95 === null ? null : p95 < limit, l?.ok ? undefined : 'the run had failed requests');
    }
  }
  const rates = results.filter((r) => r.indexing.completed && r.indexing.documentsPerSecond !== null);
  const minRate = rates.length ? Math.min(...rates.map((r) => r.indexing.documentsPerSecond!)) : null;
  goal(`indexing throughput, local provider (lowest over ${rates.map((r) => r.size.toLocaleString('en')).join(', ')} documents)`, '≥ 300 documents/s', minRate, minRate === null ? null : minRate >= 300);
  const fresh = results.filter((r) => r.freshness && r.freshness.maxAfterAckMs !== null);
  const maxFresh = fresh.length ? Math.max(...fresh.map((r) => r.freshness!.maxAfterAckMs!)) : null;
  const missed = results.some((r) => r.freshness?.probes.some((p) => p.visibleAfterAckMs === null));
  goal("new session searchable after its write (max over probes and sizes, from the write's response)", '≤ 2000 ms', maxFresh, maxFresh === null ? null : !missed && maxFresh <= 2000, missed ? 'some probes never found their session' : undefined);
  return goals;
}

async function benchOneSize(
  stack: TestStack,
  size: number,
  options: { connections: number; durationS: number; warmupS: number; freshnessRepeats: number; modesAt: number; indexingTimeoutMin: number },
  log: (line: string) => void,
): Promise<SizeResult> {
  const { db } = stack.deps.database;
  const { graphql, ok } = await import('../src/harness.js');
  const tokens = Object.fromEntries(await Promise.all(SUBMODULES.map(async (s) => [s, await stack.token(s)] as const))) as Record<string, string>;
  const reader = tokens[SUBMODULES[0]]!;

  // ---------------------------------------------------------------- seed
  log(`  seeding ${size.toLocaleString('en')} entities with SQL (not measured)`);
  const { summary: seed, publish } = await seedEntities(db, size, log);
  log(`  seeded ${seed.sessions} sessions, ${seed.patterns} patterns, ${seed.checkpoints} checkpoints (${Math.round(seed.privateShare * 100)}% PRIVATE, ~${seed.avgIndexedChars} chars each) in ${seed.seconds} s`);

  // ---------------------------------------------------------------- index
  const indexer = stack.search.indexer;
  const parts = (indexer as unknown as { options: { documents: object; vectors: object; embeddings: object } }).options;
  const timer = new CallTimer();
  timer.wrap('embed', parts.embeddings, 'embed');
  timer.wrap('vectors.upsert', parts.vectors, 'upsert');
  timer.wrap('vectors.buildIndex (HNSW build)', parts.vectors, 'buildIndex');
  timer.wrap('documents.upsert (in the batch transaction)', parts.documents, 'upsert');
  timer.wrap('lexical search (documents.search)', parts.documents, 'search');
  timer.wrap('snippets (documents.snippets)', parts.documents, 'snippets');
  timer.wrap('vector search (vectors.search)', parts.vectors, 'search');
  timer.enabled = true;

  // Progress, recorded from inside the indexer (a timer cannot sample it: see the health probe).
  let t0 = performance.now();
  const timeline: Array<{ s: number; indexed: number }> = [];
  let indexedSoFar = 0;
  let nextMark = size >= 50_000 ? 10_000 : 2_000;
  const documentsObject = parts.documents as { upsert: (tx: unknown, docs: unknown[]) => Promise<void> };
  const upsertDocuments = documentsObject.upsert;
  documentsObject.upsert = async (tx, docs) => {
    await upsertDocuments.call(parts.documents, tx, docs);
    indexedSoFar += docs.length;
    if (indexedSoFar >= nextMark) {
      timeline.push({ s: round((performance.now() - t0) / 1000, 1)!, indexed: indexedSoFar });
      if (size >= 50_000) log(`    ${timeline.at(-1)!.s} s: ${indexedSoFar} indexed`);
      nextMark += size >= 50_000 ? 10_000 : 2_000;
    }
  };
  // A worker thread asks the gateway's /health every 100 ms during indexing: the slowest answer
  // shows how long the process's one thread (gateway, subgraphs, PGlite, indexer) stopped serving.
  const probe = new HealthProbe(stack.gatewayUrl.replace(/\/graphql$/, '/health'));
  await probe.ready();

  const cpu = new MachineCpu();
  await publish();
  t0 = performance.now();
  log(`  change rows committed; indexing…`);
  const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), options.indexingTimeoutMin * 60_000).unref());
  const outcome = await Promise.race([indexer.catchUp().then(() => 'done' as const), timeout]);
  const t1 = performance.now();
  documentsObject.upsert = upsertDocuments;
  const health = await probe.stop();
  const indexCpu = cpu.stop();
  timer.enabled = false;
  log(`  /health during indexing: ${health.requests} answers, slowest ${health.maxMs} ms, p50 ${health.p50Ms} ms`);
  const breakdownMs = timer.snapshot();
  const lag = await indexer.lag();
  const pending = lag.reduce((n, f) => n + f.lag, 0);
  const completed = outcome === 'done' && pending === 0;
  const seconds = (t1 - t0) / 1000;
  timeline.push({ s: round(seconds, 1)!, indexed: size - pending });
  log(`  indexed ${size - pending}/${size} in ${seconds.toFixed(1)} s → ${((size - pending) / seconds).toFixed(0)} documents/s${completed ? '' : ' (NOT COMPLETE)'}`);
  log(`  breakdown: ${Object.entries(breakdownMs).map(([k, v]) => `${k} ${(v.ms / 1000).toFixed(1)} s`).join(', ')}`);
  const statusResponse = await graphql(stack.gatewayUrl, INDEX_STATUS, {}, reader);
  const status = (statusResponse.data as { indexStatus?: Record<string, unknown> } | null | undefined)?.indexStatus ?? null;
  const hnsw = status?.vectorStore === 'pgvector' ? Boolean((await rawRows<{ t: string | null }>(db, sql`select to_regclass('search.vectors_embedding_hnsw')::text as t`))[0]?.t) : null;
  log(`  index: ${JSON.stringify(status)}; HNSW index: ${hnsw}`);

  // Embedding alone: the same provider on the same kind of texts.
  let embeddingOnlyTextsPerSecond: number | null = null;
  {
    const { createEmbeddingProvider } = await import('@memory-context/embeddings');
    const provider = await createEmbeddingProvider(stack.config);
    const sample = await rawRows<{ t: string }>(db, sql`select left(title || E'\n' || array_to_string(tags, ' ') || E'\n' || body, 4000) as t from search.documents limit 3000`);
    const texts = sample.map((r) => r.t);
    if (texts.length > 0) {
      const t = performance.now();
      for (let i = 0; i < texts.length; i += 64) await provider.embed(texts.slice(i, i + 64));
      embeddingOnlyTextsPerSecond = round(texts.length / ((performance.now() - t) / 1000), 0);
    }
  }
  // The weighted tsvectors of up to 3,000 documents computed in ONE statement (what documents.upsert
  // computes for a batch of documents in one INSERT … ON CONFLICT).
  let tsvectorOnlyPerSecond: number | null = null;
  {
    const t = performance.now();
    const [row] = await rawRows<{ n: number }>(
      db,
      sql`select count(*)::int as n, sum(length(v))::bigint as l from (select setweight(to_tsvector('english'::regconfig, title), 'A') || setweight(to_tsvector('english'::regconfig, array_to_string(tags, ' ')), 'B') || setweight(to_tsvector('english'::regconfig, body), 'C') as v from search.documents limit 3000) x`,
    );
    if (row?.n) tsvectorOnlyPerSecond = round(row.n / ((performance.now() - t) / 1000), 0);
  }
  log(`  alone: embedding ${embeddingOnlyTextsPerSecond} texts/s, tsvectors ${tsvectorOnlyPerSecond}/s (one statement)`);
  // How many documents each query's full-text condition matches: the lexical side ranks every one of them.
  const matches: number[] = [];
  for (const q of QUERIES) {
    const [row] = await rawRows<{ n: number }>(db, sql`select count(*)::int as n from search.documents where tsv @@ replace(websearch_to_tsquery('english'::regconfig, ${q})::text, ' & ', ' | ')::tsquery`);
    matches.push(row?.n ?? 0);
  }
  // …and how many of them the lexical side actually ranks: the candidates drawn from the query's rarer words.
  const documentIndex = parts.documents as { candidateQuery(query: string): Promise<SQL | undefined> };
  const ranked: number[] = [];
  for (const [i, q] of QUERIES.entries()) {
    const candidates = await documentIndex.candidateQuery(q);
    if (!candidates) {
      ranked.push(matches[i]!);
      continue;
    }
    const [row] = await rawRows<{ n: number }>(db, sql`select count(*)::int as n from search.documents where tsv @@ ${candidates}`);
    ranked.push(row?.n ?? 0);
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const lexicalMatches = { mean: Math.round(mean(matches)), max: Math.max(...matches), meanShare: round(mean(matches) / size, 3)!, rankedMean: Math.round(mean(ranked)), rankedMax: Math.max(...ranked) };
  log(`  full-text matches per query: mean ${lexicalMatches.mean} (${Math.round(lexicalMatches.meanShare * 100)}% of the documents), max ${lexicalMatches.max}; ranked (candidates from rarer words): mean ${lexicalMatches.rankedMean}, max ${lexicalMatches.rankedMax}`);

  const result: SizeResult = {
    size,
    seed,
    indexing: {
      documents: size - pending,
      seconds: round(seconds, 2),
      documentsPerSecond: round((size - pending) / seconds, 1),
      completed,
      timeline,
      breakdownMs,
      hnswIndex: hnsw,
      status,
      cpuCores: indexCpu,
      embeddingOnlyTextsPerSecond,
      tsvectorOnlyPerSecond,
      healthDuringIndexing: health,
    },
    lexicalMatches,
    unloaded: {},
    load: [],
    freshness: null,
    rssMB: Math.round(process.memoryUsage().rss / 2 ** 20),
    seconds: 0,
  };
  if (!completed) {
    result.error = `indexing did not finish within ${options.indexingTimeoutMin} min; search was not measured at this size`;
    return result;
  }

  // ---------------------------------------------------------------- search, one client (unloaded), with a breakdown
  const modes = size === options.modesAt ? (['HYBRID', 'LEXICAL', 'SEMANTIC'] as const) : (['HYBRID'] as const);
  const itemsFor = (query: string, mode: string) =>
    QUERIES.flatMap((q, i) => {
      const submodule = SUBMODULES[i % SUBMODULES.length]!;
      return [{ body: JSON.stringify({ query, variables: { q, mode, limit: 10 } }), authorization: `Bearer ${tokens[submodule]}` }];
    });
  for (const mode of modes) {
    const items = itemsFor(SEARCH_FULL, mode);
    for (const item of items.slice(0, 5)) await post(stack.gatewayUrl, item); // warm up
    timer.reset();
    timer.enabled = true;
    const times: number[] = [];
    let empty = 0;
    let errors = 0;
    for (let round2 = 0; round2 < 2; round2++) {
      for (const item of items) {
        const r = await post(stack.gatewayUrl, item);
        times.push(r.ms);
        if (r.problem) errors++;
        else if (!r.json?.data?.search?.hits?.length) empty++;
      }
    }
    timer.enabled = false;
    const perQuery = Object.fromEntries(
      Object.entries(timer.snapshot())
        .filter(([k]) => !k.startsWith('vectors.upsert') && !k.startsWith('documents.upsert') && !k.startsWith('vectors.buildIndex'))
        .map(([k, v]) => [k, round(v.ms / times.length, 2)!]),
    );
    result.unloaded[mode] = { latencyMs: latencySummary(times), emptyResults: empty, errors, breakdownMsPerQuery: perQuery };
    log(`  ${mode}, 1 client, sequential: p50 ${result.unloaded[mode]!.latencyMs.p50} ms, p95 ${result.unloaded[mode]!.latencyMs.p95} ms; ${empty}/${times.length} empty, ${errors} errors; per query ${JSON.stringify(perQuery)}`);
  }

  // ---------------------------------------------------------------- gateway overhead, paired
  // The same query in turn as gateway (entity fields), gateway ids-only and direct ids-only, one
  // client: whatever disturbs the machine hits the three alike, and the paired differences stay.
  {
    const variants = [
      { name: 'gateway', url: stack.gatewayUrl, items: itemsFor(SEARCH_FULL, 'HYBRID') },
      { name: 'gatewayIdsOnly', url: stack.gatewayUrl, items: itemsFor(SEARCH_IDS, 'HYBRID') },
      { name: 'directIdsOnly', url: stack.subgraphUrls.search, items: itemsFor(SEARCH_IDS, 'HYBRID') },
    ] as const;
    const times: Record<string, number[]> = { gateway: [], gatewayIdsOnly: [], directIdsOnly: [] };
    let errors = 0;
    for (let r = 0; r < 2; r++) {
      for (let i = 0; i < QUERIES.length; i++) {
        for (const v of variants) {
          const response = await post(v.url, v.items[i]!);
          if (response.problem) errors++;
          times[v.name]!.push(response.ms);
        }
      }
    }
    const median = (values: number[]) => round(percentile(Float64Array.from(values).sort(), 0.5), 2);
    const diff = (a: string, b: string) => median(times[a]!.map((t, i) => t - times[b]![i]!));
    result.pairedHybrid = {
      samplesEach: times.gateway!.length,
      errors,
      p50Ms: { gateway: median(times.gateway!), gatewayIdsOnly: median(times.gatewayIdsOnly!), directIdsOnly: median(times.directIdsOnly!) },
      medianDifferenceMs: { gatewayOverhead: diff('gatewayIdsOnly', 'directIdsOnly'), entityFields: diff('gateway', 'gatewayIdsOnly') },
    };
    log(`  paired, 1 client: ${JSON.stringify(result.pairedHybrid)}`);
  }

  // ---------------------------------------------------------------- search under load
  // Enough time for ~100 answers at 8 connections when each takes long (the thread is saturated).
  const durationS = Math.min(30, Math.max(options.durationS, Math.ceil((100 * (result.unloaded.HYBRID?.latencyMs.p50 ?? 0)) / 1000)));
  const checkSearch = (data: any) => (Array.isArray(data?.search?.hits) ? undefined : 'no search.hits in the response');
  const run = (key: string, url: string, items: LoadItem[]) =>
    measureLoad({ key, url, items, connections: options.connections, durationS, warmupS: options.warmupS, check: checkSearch, log });
  result.load.push(await run('HYBRID.gateway', stack.gatewayUrl, itemsFor(SEARCH_FULL, 'HYBRID')));
  result.load.push(
    await measureLoad({ key: 'HYBRID.gateway.1-connection', url: stack.gatewayUrl, items: itemsFor(SEARCH_FULL, 'HYBRID'), connections: 1, durationS, warmupS: 0, check: checkSearch, log }),
  );
  result.load.push(await run('HYBRID.gateway.ids-only', stack.gatewayUrl, itemsFor(SEARCH_IDS, 'HYBRID')));
  result.load.push(await run('HYBRID.direct.ids-only', stack.subgraphUrls.search, itemsFor(SEARCH_IDS, 'HYBRID')));
  if (size === options.modesAt) {
    result.load.push(await run('LEXICAL.gateway', stack.gatewayUrl, itemsFor(SEARCH_FULL, 'LEXICAL')));
    result.load.push(await run('SEMANTIC.gateway', stack.gatewayUrl, itemsFor(SEARCH_FULL, 'SEMANTIC')));
  }

  // ---------------------------------------------------------------- freshness
  const probes: NonNullable<SizeResult['freshness']>['probes'] = [];
  for (let i = 0; i < options.freshnessRepeats; i++) {
    const word = `zephyrprobe${randomBytes(5).toString('hex')}`;
    const submodule = SUBMODULES[i % SUBMODULES.length]!;
    const input = {
      privacyLevel: 'TEAM',
      title: `Freshness probe ${i}: ${word} in the deploy script`,
      description: `The rollout script failed with ${word}.`,
      tags: ['bench'],
      content: [{ role: 'user', text: `The ${word} step of the deploy fails on staging.` }, { role: 'assistant', text: 'I fixed the path in deploy/rollout.sh.' }],
    };
    const requested = performance.now();
    const id = ok(await graphql(stack.gatewayUrl, CREATE_SESSION, { input }, tokens[submodule])).createSession.id as string;
    const acked = performance.now();
    let polls = 0;
    let found: number | null = null;
    while (performance.now() - acked < 30_000) {
      polls++;
      const r = await graphql(stack.gatewayUrl, `query F($q: String!) { search(query: $q, mode: LEXICAL, limit: 5, filter: { kinds: [SESSION] }) { hits { entity { ... on Session { id } } } } }`, { q: word }, tokens[SUBMODULES[(i + 1) % SUBMODULES.length]!]);
      if ((r.data as any)?.search?.hits?.some((h: { entity: { id?: string } }) => h.entity.id === id)) {
        found = performance.now();
        break;
      }
      await new Promise((resolveWait) => setTimeout(resolveWait, 50));
    }
    probes.push({
      writeMs: round(acked - requested, 1)!,
      visibleAfterAckMs: found === null ? null : round(found - acked, 1),
      visibleAfterRequestMs: found === null ? null : round(found - requested, 1),
      polls,
    });
    await new Promise((r) => setTimeout(r, 300));
  }
  const after = probes.map((p) => p.visibleAfterAckMs).filter((v): v is number => v !== null).sort((a, b) => a - b);
  const afterReq = probes.map((p) => p.visibleAfterRequestMs).filter((v): v is number => v !== null).sort((a, b) => a - b);
  result.freshness = {
    probes,
    medianAfterAckMs: after.length ? round(percentile(after, 0.5), 1) : null,
    maxAfterAckMs: after.length ? after.at(-1)! : null,
    medianAfterRequestMs: afterReq.length ? round(percentile(afterReq, 0.5), 1) : null,
    maxAfterRequestMs: afterReq.length ? afterReq.at(-1)! : null,
  };
  log(`  freshness: ${probes.map((p) => p.visibleAfterAckMs ?? 'never').join(', ')} ms after the write's response`);
  result.rssMB = Math.round(process.memoryUsage().rss / 2 ** 20);
  return result;
}

// ================================================================ report

const fmt = (n: number | null | undefined, suffix = '') => (n === null || n === undefined ? '–' : `${n.toLocaleString('en')}${suffix}`);

export function formatSearchSection(runs: SearchBenchResult[]): string {
  const out: string[] = ['## Search', ''];
  if (runs.length === 0) return out.join('\n');
  const m = runs[0]!.machine;
  out.push(
    `Measured with \`npx tsx e2e/bench/search-bench.ts\` (\`--sizes 1000,10000,100000\` for 100k; \`MEMCTX_DATABASE_URL=postgres://…\` for Postgres) on ${m.cpuModel} × ${m.cpuCount} cores, ${fmt(Math.round(m.totalMemoryMB / 1024))} GB RAM, ${m.os}, Node ${m.node}.`,
    'Everything runs in one process: gateway, the four subgraphs, the indexer, PGlite (when used) and the load generator (autocannon, in a worker thread).',
    '**The machine was shared with other work during these runs** (the "others" column: CPU cores used by other processes while a run was measured; above ~0.2 the figures are disturbed). On 2 cores, treat the figures as pessimistic.',
    '',
    'Data: each size is a fresh database seeded with SQL (not measured) — 85% sessions, 10% patterns, 5% checkpoints over 8 submodules, ~10% PRIVATE, generated from 26 engineering topics (sessions of 3–7 messages, ~1 KB of text each; real agent sessions are often larger).',
    `Search: ${runs[0]!.options.queries} natural questions (from the labelled relevance set), \`limit: 10\`, rotated over 8 submodules' non-admin tokens, ${runs[0]!.options.connections} concurrent connections (and 1) for ${runs[0]!.options.durationS} s after a ${runs[0]!.options.warmupS} s warm-up — up to 30 s where answers are slow, for ~100 of them. "gateway" selects entity fields (title, name…) that the gateway fetches from the owning subgraphs; "ids-only" selects only what the search subgraph answers, so "gateway ids-only" vs "direct" is the gateway's own overhead. One thread serves everything, so at ${runs[0]!.options.connections} connections a request waits for the ones ahead of it: latency ≈ connections ÷ throughput.`,
    'Indexing: from the commit of the change rows until the indexer is caught up (`indexer.catchUp()` resolved and `indexer.lag()` zero on every feed); the indexer also wakes on its own poll, so the clock starts at the commit, not at the call.',
    'Freshness: `createSession` through the gateway with a unique word, then LEXICAL `search` for it every 50 ms (time from the mutation\'s response; the indexer is woken by NOTIFY).',
    '',
  );
  for (const database of ['pglite', 'postgres'] as const) {
    const dbRuns = runs.filter((r) => r.database === database);
    if (dbRuns.length === 0) continue;
    const run = dbRuns.at(-1)!;
    const sizes = dbRuns.flatMap((r) => r.sizes).sort((a, b) => a.size - b.size);
    out.push(`### ${run.database === 'pglite' ? 'PGlite (in-memory)' : 'Postgres'} — ${run.databaseVersion}; vector store ${run.vectorStore}; embeddings ${run.embeddingModel}; indexer batch ${run.options.indexerBatchSize}`, '');
    for (const r of dbRuns) {
      out.push(`- run ${r.generatedAt.slice(0, 16).replace('T', ' ')} UTC (\`${r.command || 'runSearchBench'}\`): ${r.sizes.map((x) => x.size.toLocaleString('en')).join(', ')} documents, load average at start ${r.machine.loadAverageAtStart.join(' / ')}, ${r.totalSeconds} s in all`);
    }
    out.push('');
    out.push('| documents | seed (s) | indexing | docs/s | slowest /health while indexing | HNSW index | documents matching any word / ranked, per query (mean) | freshness median / max | RSS |');
    out.push('| ---: | ---: | ---: | ---: | ---: | :---: | ---: | ---: | ---: |');
    for (const s of sizes) {
      const f = s.freshness;
      out.push(
        `| ${fmt(s.size)} | ${fmt(s.seed.seconds)} | ${s.indexing.completed ? `${fmt(s.indexing.seconds)} s` : `not complete (${fmt(s.indexing.documents)} in ${fmt(s.indexing.seconds)} s)`} | ${fmt(s.indexing.documentsPerSecond)} | ${fmt(s.indexing.healthDuringIndexing?.maxMs, ' ms')} | ${s.indexing.hnswIndex === null ? 'n/a' : s.indexing.hnswIndex ? 'yes' : 'no'} | ${s.lexicalMatches ? `${fmt(s.lexicalMatches.mean)} (${Math.round(s.lexicalMatches.meanShare * 100)}%) / ${fmt(s.lexicalMatches.rankedMean ?? s.lexicalMatches.mean)}` : '–'} | ${f ? `${fmt(f.medianAfterAckMs)} / ${fmt(f.maxAfterAckMs)} ms` : '–'} | ${s.rssMB} MB |`,
      );
    }
    out.push('');
    for (const s of sizes) {
      out.push(`#### ${fmt(s.size)} documents`, '');
      if (s.error) out.push(`**${s.error}.**`, '');
      const b = s.indexing.breakdownMs;
      const total = (s.indexing.seconds ?? 0) * 1000;
      if (total > 0 && Object.keys(b).length) {
        const share = (k: string) => (b[k] ? `${(b[k]!.ms / 1000).toFixed(1)} s (${Math.round((b[k]!.ms / total) * 100)}%)` : '–');
        out.push(
          `Indexing time inside the indexer's steps: embedding ${share('embed')}, vector writes ${share('vectors.upsert')} (of which HNSW build ${share('vectors.buildIndex (HNSW build)')}), document rows + tsvector ${share('documents.upsert (in the batch transaction)')}; the rest is reading feeds and entities and moving cursors${run.database === 'postgres' ? ' (wall time summed over calls: on Postgres the three feeds\' followers can run at once, so the shares may add up to more than 100%)' : ''}. Indexing used ${s.indexing.cpuCores ? `${s.indexing.cpuCores.benchCores} cores of this process, others ${s.indexing.cpuCores.otherCores}` : 'unknown CPU'}. Alone, the provider embeds ${fmt(s.indexing.embeddingOnlyTextsPerSecond)} of these texts/s and the database computes ${fmt(s.indexing.tsvectorOnlyPerSecond)} weighted tsvectors/s in one statement. The gateway's \`/health\`, asked every 100 ms from a worker thread, answered ${s.indexing.healthDuringIndexing?.requests ?? '–'} time(s) while indexing ran, the slowest after ${fmt(s.indexing.healthDuringIndexing?.maxMs, ' ms')}.`,
          '',
        );
      }
      const unloaded = Object.entries(s.unloaded);
      if (unloaded.length) {
        out.push('Unloaded: each query twice in turn from an in-process client; the per-query columns are wall time inside those calls (in HYBRID the lexical and vector searches are started together, so on PGlite, one connection, their times overlap).', '');
        out.push('| mode | 1 client, sequential: p50 | p95 | empty results | errors | per query: lexical | vector | snippets |');
        out.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
        for (const [mode, u] of unloaded) {
          const q = u.breakdownMsPerQuery;
          out.push(`| ${mode} | ${fmt(u.latencyMs.p50)} ms | ${fmt(u.latencyMs.p95)} ms | ${u.emptyResults}/${u.latencyMs.samples} | ${u.errors} | ${fmt(q['lexical search (documents.search)'], ' ms')} | ${fmt(q['vector search (vectors.search)'], ' ms')} | ${fmt(q['snippets (documents.snippets)'], ' ms')} |`);
        }
        out.push('');
      }
      if (s.load.length) {
        out.push('| scenario | conn | p50 | p95 | p99 | req/s | requests | failed | server thread | others | status |');
        out.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
        for (const l of s.load) {
          const failed = l.non2xx + l.graphqlErrors + l.connectionErrors + l.timeouts;
          out.push(
            `| ${l.key.replaceAll('.', ' ')} | ${l.connections} | ${fmt(l.latencyMs.p50)} ms | ${fmt(l.latencyMs.p95)} ms | ${fmt(l.latencyMs.p99)} ms | ${fmt(l.requestsPerSecond)} | ${fmt(l.requests)} | ${failed} | ${Math.round(l.serverThreadBusy * 100)}% | ${l.cpuCores ? l.cpuCores.otherCores.toFixed(2) : '–'} | ${l.ok ? 'ok' : '**FAILED**'} |`,
          );
        }
        const p = s.pairedHybrid;
        if (p) {
          out.push(
            '',
            `One client, the three variants in turn per query (${p.samplesEach} each, so that disturbances hit them alike): p50 gateway ${fmt(p.p50Ms.gateway, ' ms')}, gateway ids-only ${fmt(p.p50Ms.gatewayIdsOnly, ' ms')}, direct ids-only ${fmt(p.p50Ms.directIdsOnly, ' ms')}; median paired difference: the gateway's own overhead ${fmt(p.medianDifferenceMs.gatewayOverhead, ' ms')}, the entity fields fetched from the other subgraphs ${fmt(p.medianDifferenceMs.entityFields, ' ms')}.`,
          );
        }
        out.push('');
      }
    }
    out.push('Goals:', '', '| goal | target | measured | |', '| --- | --- | ---: | --- |');
    for (const g of searchGoals(sizes)) out.push(`| ${g.goal} | ${g.target} | ${fmt(g.measured)} | ${g.met === null ? (g.note ?? 'not measured') : `${g.met ? 'met' : '**missed**'}${g.note ? ` (${g.note})` : ''}`} |`);
    out.push('');
    out.push(...likelyCauses(sizes, run));
    if (dbRuns.some((r) => !r.allRequestsSucceeded)) out.push('**Some requests failed: see the "failed" columns.**', '');
  }
  return out.join('\n');
}

/** Why goals were missed, in the measured figures' own words (generated, so a rerun keeps it true). */
function likelyCauses(sizes: SizeResult[], run: SearchBenchResult): string[] {
  const goals = searchGoals(sizes);
  const missed = (prefix: string) => goals.some((g) => g.goal.startsWith(prefix) && g.met === false);
  const lines: string[] = [];
  const pglite = run.database === 'pglite';
  const ms = (n: number | null | undefined) => fmt(n === null || n === undefined ? n : round(n, 1), ' ms');
  if (missed('search p95')) {
    const parts = sizes
      .filter((s) => s.unloaded.HYBRID && s.lexicalMatches)
      .map((s) => {
        const q = s.unloaded.HYBRID!.breakdownMsPerQuery;
        const lexical = s.unloaded.LEXICAL?.breakdownMsPerQuery['lexical search (documents.search)'] ?? q['lexical search (documents.search)'];
        const vector = s.unloaded.SEMANTIC?.breakdownMsPerQuery['vector search (vectors.search)'] ?? q['vector search (vectors.search)'];
        const alone = s.unloaded.LEXICAL && s.unloaded.SEMANTIC ? '' : ' (measured inside HYBRID, where they overlap)';
        return `${fmt(s.size)} documents: ${fmt(s.lexicalMatches!.rankedMean ?? s.lexicalMatches!.mean)} ranked of ${fmt(s.lexicalMatches!.mean)} matching, lexical ${ms(lexical)}, vector ${ms(vector)}${alone}`;
      });
    const semantic = sizes.filter((s) => s.unloaded.SEMANTIC).map((s) => `${ms(s.unloaded.SEMANTIC!.latencyMs.p50)} at ${fmt(s.size)}`);
    lines.push(
      `- **Search latency.** Per query, one client: ${parts.join('; ')}. The lexical half ranks only candidates drawn from the query's rarer words (a budget of about 1,500 documents by the word statistics' estimate, plus words too rare to be in those statistics; see docs/search.md), not every document that shares a word with it.${semantic.length > 1 ? ` SEMANTIC alone (p50, one client): ${semantic.join(', ')}.` : ''}` +
        (pglite
          ? ' PGlite is one WebAssembly Postgres on the Node thread that also runs the gateway and every subgraph: the two halves HYBRID starts together run one after the other, and at 8 connections each request queues behind the others (p95 ≈ 8 × the service time), so the 8-connection p95 is mostly waiting.'
          : ' At 8 connections requests also queue for the Node thread (gateway, subgraphs, indexer) and the pool.'),
    );
  }
  if (missed('indexing throughput')) {
    const per = sizes
      .filter((s) => s.indexing.completed && s.indexing.documents > 0)
      .map((s) => {
        const b = s.indexing.breakdownMs;
        const n = s.indexing.documents;
        const docMs = (b['documents.upsert (in the batch transaction)']?.ms ?? 0) / n;
        const vecMs = (b['vectors.upsert']?.ms ?? 0) / n;
        const embMs = (b.embed?.ms ?? 0) / n;
        return `${fmt(n)}: document rows ${docMs.toFixed(2)} ms, vectors ${vecMs.toFixed(2)} ms, embedding ${embMs.toFixed(2)} ms`;
      });
    lines.push(
      `- **Indexing throughput.** Per document (${per.join('; ')}). \`DocumentIndex.upsert\` writes a batch (64 documents) in one \`INSERT … ON CONFLICT\`, computing three weighted tsvectors per document and updating the GIN and b-tree indexes.` +
        (pglite ? ' Vector writes per document grow with the collection once the HNSW index exists (built at 5,000 vectors): every later insert walks the graph in WebAssembly.' : '') +
        ' Embedding with the local provider is a small share.',
    );
  }
  if (pglite) {
    const worst = sizes.filter((s) => s.indexing.healthDuringIndexing?.maxMs != null).at(-1);
    if (worst && (worst.indexing.healthDuringIndexing!.maxMs ?? 0) > 1000) {
      lines.push(
        `- **The API pauses while PGlite indexes a backlog.** PGlite runs on the Node thread that serves every request. The indexer yields to waiting requests between batches, so while ${fmt(worst.indexing.documents)} documents were indexed the gateway's \`/health\` (asked every 100 ms from a worker thread) answered ${fmt(worst.indexing.healthDuringIndexing!.requests)} times with a median of ${fmt(worst.indexing.healthDuringIndexing!.p50Ms, ' ms')}; but a single step can hold the thread longer (the slowest answer waited ${fmt(worst.indexing.healthDuringIndexing!.maxMs, ' ms')}; an ANALYZE of the documents takes one to two seconds at 100,000). A bulk import or \`npm run reindex\` in the embedded stack slows requests down; single writes (the freshness probes) are indexed in milliseconds.`,
      );
    }
  }
  if (goals.some((g) => g.goal.startsWith('new session searchable') && g.met === true)) {
    lines.push('- **Freshness** is met with a wide margin: NOTIFY wakes the indexer at once and one session is indexed in milliseconds.');
  }
  return lines.length ? ['Likely causes:', '', ...lines, ''] : [];
}

// ================================================================ command line

type ResultsFile = { generatedAt: string; runs: SearchBenchResult[] };

/** Merges a run into the results file: a run replaces the same database's figures for the sizes it measured. */
export function mergeSearchResults(existing: ResultsFile | undefined, run: SearchBenchResult): ResultsFile {
  const runs = (existing?.runs ?? [])
    .map((r) => (r.database === run.database ? { ...r, sizes: r.sizes.filter((s) => !run.options.sizes.includes(s.size)) } : r))
    .filter((r) => r.sizes.length > 0);
  runs.push(run);
  runs.sort((a, b) => (a.database === b.database ? a.generatedAt.localeCompare(b.generatedAt) : a.database === 'pglite' ? -1 : 1));
  return { generatedAt: new Date().toISOString(), runs };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      sizes: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      out: { type: 'string' },
      md: { type: 'string' },
      fresh: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`npx tsx e2e/bench/search-bench.ts [options]
  --quick              1,000 documents only, 3 s runs
  --sizes <list>       e.g. 1000,10000,100000 (default 1000,10000)
  --duration <s>       measured seconds per load run (default 10)
  --warmup <s>         unmeasured seconds before each (default 2)
  --connections <n>    concurrent connections (default 8)
  --out <file>         results JSON (default e2e/bench/results/search.json; merged with its runs)
  --md <file>          markdown section (default e2e/bench/results/search-section.md)
  --fresh              overwrite the results file instead of merging
MEMCTX_DATABASE_URL=postgres://… runs over Postgres (a fresh database per size, dropped after).\n`);
    process.exit(0);
  }
  const result = await runSearchBench({
    quick: values.quick,
    ...(values.sizes ? { sizes: values.sizes.split(',').map((s) => Number(s.trim())).filter((n) => Number.isInteger(n) && n > 0) } : {}),
    ...(values.duration ? { durationS: Number(values.duration) } : {}),
    ...(values.warmup ? { warmupS: Number(values.warmup) } : {}),
    ...(values.connections ? { connections: Number(values.connections) } : {}),
  });
  const out = resolve(process.cwd(), values.out ?? join(HERE, 'results', 'search.json'));
  const md = resolve(process.cwd(), values.md ?? join(HERE, 'results', 'search-section.md'));
  const existing = !values.fresh && existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as ResultsFile) : undefined;
  const file = mergeSearchResults(existing?.runs ? existing : undefined, result);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(file, null, 2)}\n`);
  writeFileSync(md, `${formatSearchSection(file.runs)}\n`);
  process.stdout.write(`\n${formatSearchSection([result])}\n\nResults: ${relative(REPO, out)}, ${relative(REPO, md)}\n`);
  if (!result.allRequestsSucceeded) {
    process.stdout.write('\nSOME REQUESTS FAILED: their latencies describe errors, not work.\n');
    process.exitCode = 1;
  }
}
