/**
 * Search figures: `npx tsx e2e/bench/search-bench.ts [--quick] [--sizes 1000,10000,100000]`,
 * or `runSearchBench(options)` from `npm run bench`.
 *
 * For each size N, a fresh embedded stack (lib/stack.ts: in-memory PGlite,
 * or a new database on MEMCTX_DATABASE_URL's server) is seeded with N memory
 * entities written through the services' stores in one transaction (seeding
 * is not measured; see lib/seed.ts), then:
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
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sql, type SQL } from 'drizzle-orm';
import { rawRows } from '@memory-context/db';
import type { Stack } from '@memory-context/embedded';
import { CallTimer } from './lib/call-timer.js';
import { benchArgs, optionalNumberArg } from './lib/cli.js';
import { QUERIES, SUBMODULES } from './lib/corpus.js';
import { HealthProbe } from './lib/health-probe.js';
import { measureLoad, post, type LoadItem, type LoadResult } from './lib/load.js';
import { MachineCpu, type CpuCores } from './lib/machine-cpu.js';
import { describeMachine, machineInfo, type Machine } from './lib/machine.js';
import { seedCorpus, type SeedSummary } from './lib/seed.js';
import { startBenchStack, tokensOf } from './lib/stack.js';
import { latencySummary, median, percentile, round, type LatencySummary } from './lib/stats.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');

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
  unloaded: Record<string, { latencyMs: LatencySummary; emptyResults: number; errors: number; breakdownMsPerQuery: Record<string, number> }>;
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
  log(`Search bench: sizes ${sizes.join(', ')}; ${describeMachine(machine)}`);

  for (const size of sizes) {
    const sizeStarted = performance.now();
    log(`\n== ${size.toLocaleString('en')} documents: starting a fresh stack`);
    const bench = await startBenchStack();
    const { stack, database, databaseVersion } = bench;
    try {
      const result = await benchOneSize(stack, size, options, log);
      const status = result.indexing.status as { vectorStore?: string; model?: string } | null;
      meta = { database, databaseVersion, vectorStore: status?.vectorStore ?? meta.vectorStore, embeddingModel: status?.model ?? meta.embeddingModel, indexerBatchSize: stack.config.indexerBatchSize };
      result.seconds = round((performance.now() - sizeStarted) / 1000, 1)!;
      results.push(result);
    } finally {
      await bench.stop();
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
  stack: Stack,
  size: number,
  options: { connections: number; durationS: number; warmupS: number; freshnessRepeats: number; modesAt: number; indexingTimeoutMin: number },
  log: (line: string) => void,
): Promise<SizeResult> {
  const { db } = stack.deps.database;
  const { graphql, ok } = await import('../src/harness.js');
  const tokens: Record<string, string> = await tokensOf(stack, SUBMODULES);
  const reader = tokens[SUBMODULES[0]]!;

  // ---------------------------------------------------------------- seed
  log(`  seeding ${size.toLocaleString('en')} entities through the stores (not measured)`);
  const { summary: seed, publish } = await seedCorpus(stack, size, log);
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
    'Data: each size is a fresh database seeded through the entity stores in one transaction (not measured) — 85% sessions, 10% patterns, 5% checkpoints over 8 submodules, ~10% PRIVATE, generated from 26 engineering topics (sessions of 3–7 messages, ~1 KB of text each; real agent sessions are often larger).',
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
  const values = benchArgs(
    `npx tsx e2e/bench/search-bench.ts [options]
  --quick              1,000 documents only, 3 s runs
  --sizes <list>       e.g. 1000,10000,100000 (default 1000,10000)
  --duration <s>       measured seconds per load run (default 10)
  --warmup <s>         unmeasured seconds before each (default 2)
  --connections <n>    concurrent connections (default 8)
  --out <file>         results JSON (default e2e/bench/results/search.json; merged with its runs)
  --md <file>          markdown section (default e2e/bench/results/search-section.md)
  --fresh              overwrite the results file instead of merging
MEMCTX_DATABASE_URL=postgres://… runs over Postgres (a fresh database per size, dropped after).`,
    { sizes: { type: 'string' }, md: { type: 'string' }, fresh: { type: 'boolean', default: false } },
  );
  const durationS = optionalNumberArg('duration', values.duration);
  const warmupS = optionalNumberArg('warmup', values.warmup);
  const connections = optionalNumberArg('connections', values.connections);
  const result = await runSearchBench({
    quick: values.quick,
    ...(values.sizes ? { sizes: values.sizes.split(',').map((s) => Number(s.trim())).filter((n) => Number.isInteger(n) && n > 0) } : {}),
    ...(durationS === undefined ? {} : { durationS }),
    ...(warmupS === undefined ? {} : { warmupS }),
    ...(connections === undefined ? {} : { connections }),
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
