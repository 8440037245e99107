/**
 * SDK cache figures (issue 5): `npx tsx e2e/bench/sdk-bench.ts [--quick] [--json] [--out file]`,
 * or `runSdkBench(options)` from `npm run bench`.
 *
 * Runs the real embedded stack in a child process (sdk-bench-server.ts:
 * in-memory PGlite, or a fresh database on MEMCTX_DATABASE_URL), as
 * `npm start` would, and an SDK client in this one, over HTTP:
 * - cache `get` by id (cache-only) p50/p99;
 * - queued `create` until durable (committed to the WAL; `full` fsyncs) p50/p99;
 * - flush of the queued writes to the gateway;
 * - cold pull of N sessions into an empty cache;
 * - cache file size per 1,000 sessions.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createClient } from '@memory-context/sdk';
import { benchArgs } from './lib/cli.js';
import { machineInfo, type Machine } from './lib/machine.js';
import { sdkSessionInput } from './lib/sdk-session.js';
import { latencySummary, round } from './lib/stats.js';
import type { ServerMessage } from './sdk-bench-server.js';

export interface SdkBenchOptions {
  /** Sessions seeded on the server and pulled into an empty cache (default 10,000). */
  sessions?: number;
  /** Writes queued, then flushed (default 1,000). */
  writes?: number;
  /** Cache reads timed (default 10,000). */
  reads?: number;
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
}

export interface Percentiles {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface SdkBenchResult {
  generatedAt: string;
  machine: Machine & { database: 'pglite' | 'postgres' };
  options: Required<Omit<SdkBenchOptions, 'log'>>;
  cacheGet: Percentiles & { goalP99Ms: 1 };
  queuedCreate: { full: Percentiles; normal: Percentiles; goalP99Ms: 2 };
  flush: { writes: number; seconds: number; perSecond: number; concurrency: number; batchSize: number; goalSeconds: 10 };
  coldPull: { sessions: number; seconds: number; gatewaySeconds: number; pages: number; perSecond: number; goalSeconds: 5 };
  cacheFile: { sessions: number; bytes: number; bytesPer1000Sessions: number };
}

function percentiles(samples: number[]): Percentiles {
  const s = latencySummary(samples, 3);
  return { samples: s.samples, p50Ms: s.p50 ?? 0, p99Ms: s.p99 ?? 0, maxMs: s.max ?? 0 };
}

const sessionInput = sdkSessionInput;

/** Starts sdk-bench-server.ts and waits for its `ready`. */
async function startServer(): Promise<{ child: ChildProcess; ready: Extract<ServerMessage, { type: 'ready' }>; next: <T extends ServerMessage['type']>(type: T) => Promise<Extract<ServerMessage, { type: T }>> }> {
  const child = fork(fileURLToPath(new URL('./sdk-bench-server.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = <T extends ServerMessage['type']>(type: T) =>
    new Promise<Extract<ServerMessage, { type: T }>>((resolve, reject) => {
      const onMessage = (message: ServerMessage) => {
        if (message.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message as Extract<ServerMessage, { type: T }>);
      };
      const onExit = (code: number | null) => reject(new Error(`The bench server exited (${code}) before '${type}'`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  return { child, ready: await next('ready'), next };
}

export async function runSdkBench(input: SdkBenchOptions = {}): Promise<SdkBenchResult> {
  const options = { sessions: input.sessions ?? 10_000, writes: input.writes ?? 1_000, reads: input.reads ?? 10_000 };
  const log = input.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const dir = mkdtempSync(join(os.tmpdir(), 'memctx-sdk-bench-'));
  const server = await startServer();
  try {
    const { gatewayUrl: url, writer, reader } = server.ready;

    // Queued create until durable, with both durability settings (nothing is sent yet).
    log(`queued create: ${options.writes} sessions per durability setting`);
    const timings: Record<'full' | 'normal', number[]> = { full: [], normal: [] };
    for (const durability of ['normal', 'full'] as const) {
      const client = createClient({ url, token: writer, cachePath: join(dir, `writer-${durability}.db`), durability, pushOnWrite: false, pullIntervalMs: 0 });
      for (let i = 0; i < options.writes; i++) {
        const started = performance.now();
        await client.sessions.create(sessionInput(i));
        timings[durability].push(performance.now() - started);
      }
      await client.close();
    }

    log(`flush: ${options.writes} queued writes to the gateway`);
    const writerClient = createClient({ url, token: writer, cachePath: join(dir, 'writer-full.db'), pushOnWrite: false, pullIntervalMs: 0 });
    const flushStarted = performance.now();
    const flushed = await writerClient.flush();
    const flushSeconds = (performance.now() - flushStarted) / 1000;
    const concurrency = writerClient.options.flushConcurrency;
    const batchSize = writerClient.options.pushBatchSize;
    await writerClient.close();
    if (flushed.remaining > 0 || flushed.rejected > 0) throw new Error(`flush left ${flushed.remaining} writes, rejected ${flushed.rejected}`);

    log(`seeding ${options.sessions} sessions on the server`);
    server.child.send({ type: 'seed', count: options.sessions, content: sessionInput(0).content ?? [] });
    const { ids } = await server.next('seeded');

    log(`cold pull of ${options.sessions + options.writes} sessions into an empty cache`);
    const cachePath = join(dir, 'reader.db');
    const limit = options.sessions + options.writes + 100;
    // Time spent waiting for the gateway, to tell the server's share of the pull from the cache's.
    let networkMs = 0;
    const timedFetch: typeof fetch = async (...args) => {
      const started = performance.now();
      try {
        const response = await fetch(...args);
        await response.clone().arrayBuffer();
        return response;
      } finally {
        networkMs += performance.now() - started;
      }
    };
    let client = createClient({ url, token: reader, cachePath, pushOnWrite: false, pullIntervalMs: 0, maxSessions: limit }, { fetch: timedFetch });
    const pullStarted = performance.now();
    const pulled = await client.pull({ onProgress: (p) => p.pages % 5 === 0 && log(`  page ${p.pages}: ${p.received.session} session changes`) });
    const pullSeconds = (performance.now() - pullStarted) / 1000;
    const pulledSessions = pulled.received.session;
    await client.close();
    const bytes = statSync(cachePath).size;

    log(`cache get: ${options.reads} reads by id`);
    client = createClient({ url, token: reader, cachePath, pushOnWrite: false, pullIntervalMs: 0, maxSessions: limit });
    for (let i = 0; i < 200; i++) await client.sessions.get(ids[i % ids.length]!, { fetchPolicy: 'cache-only' }); // warm up
    const reads: number[] = [];
    for (let i = 0; i < options.reads; i++) {
      const id = ids[Math.floor(Math.random() * ids.length)]!;
      const started = performance.now();
      const read = await client.sessions.get(id, { fetchPolicy: 'cache-only' });
      reads.push(performance.now() - started);
      if (!read.data) throw new Error(`session ${id} was not in the cache`);
    }
    await client.close();

    return {
      generatedAt: new Date().toISOString(),
      machine: { ...machineInfo(), database: process.env.MEMCTX_DATABASE_URL ? 'postgres' : 'pglite' },
      options,
      cacheGet: { ...percentiles(reads), goalP99Ms: 1 },
      queuedCreate: { full: percentiles(timings.full), normal: percentiles(timings.normal), goalP99Ms: 2 },
      flush: { writes: options.writes, seconds: round(flushSeconds, 2)!, perSecond: round(options.writes / flushSeconds, 1)!, concurrency, batchSize, goalSeconds: 10 },
      coldPull: {
        sessions: pulledSessions,
        seconds: round(pullSeconds, 2)!,
        gatewaySeconds: round(networkMs / 1000, 2)!,
        pages: pulled.pages,
        perSecond: round(pulledSessions / pullSeconds, 0)!,
        goalSeconds: 5,
      },
      cacheFile: { sessions: pulledSessions, bytes, bytesPer1000Sessions: Math.round((bytes / pulledSessions) * 1000) },
    };
  } finally {
    server.child.send({ type: 'stop' });
    await new Promise((resolve) => server.child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatSdkBench(r: SdkBenchResult): string {
  const mark = (ok: boolean) => (ok ? 'meets goal' : 'MISSES goal');
  return [
    `SDK cache — ${r.machine.cpuModel}, ${r.machine.cpuCount} cores, Node ${r.machine.node}, ${r.machine.database}`,
    `cache get by id (cache-only)     p50 ${r.cacheGet.p50Ms} ms   p99 ${r.cacheGet.p99Ms} ms   (${r.cacheGet.samples} reads; goal p99 < 1 ms: ${mark(r.cacheGet.p99Ms < 1)})`,
    `queued create, durability full   p50 ${r.queuedCreate.full.p50Ms} ms   p99 ${r.queuedCreate.full.p99Ms} ms   (goal p99 < 2 ms: ${mark(r.queuedCreate.full.p99Ms < 2)})`,
    `queued create, durability normal p50 ${r.queuedCreate.normal.p50Ms} ms   p99 ${r.queuedCreate.normal.p99Ms} ms`,
    `flush of ${r.flush.writes} queued writes      ${r.flush.seconds} s (${r.flush.perSecond}/s, batches of ${r.flush.batchSize}, ${r.flush.concurrency} requests at once; goal < 10 s: ${mark(r.flush.seconds < 10)})`,
    `cold pull of ${r.coldPull.sessions} sessions     ${r.coldPull.seconds} s (${r.coldPull.gatewaySeconds} s waiting for the gateway; ${r.coldPull.perSecond}/s, ${r.coldPull.pages} requests; goal < 5 s: ${mark(r.coldPull.seconds < 5)})`,
    `cache file                       ${(r.cacheFile.bytesPer1000Sessions / 2 ** 20).toFixed(2)} MiB per 1,000 sessions (${(r.cacheFile.bytes / 2 ** 20).toFixed(1)} MiB for ${r.cacheFile.sessions})`,
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const values = benchArgs(
    `npx tsx e2e/bench/sdk-bench.ts [options]
  --quick        1,000 sessions, 100 writes, 2,000 reads
  --json         print the figures as JSON
  --out <file>   also write them to a JSON file`,
    { json: { type: 'boolean', default: false } },
  );
  const result = await runSdkBench(values.quick ? { sessions: 1_000, writes: 100, reads: 2_000 } : {});
  process.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatSdkBench(result)}\n`);
  if (values.out) writeFileSync(values.out, `${JSON.stringify(result, null, 2)}\n`);
}
