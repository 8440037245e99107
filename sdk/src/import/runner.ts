import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PrivacyConfigError } from '@memory-context/privacy';
import { createClient, inOneLocalTransaction, type MemoryClient } from '../client.js';
import type { ClientOptions } from '../config.js';
import { SdkError, toSdkError } from '../errors.js';
import type { PrivacyLevel } from '../generated/graphql.js';
import { ImportLedger } from './ledger.js';
import { planImport, type PlannedItem } from './plan.js';
import { addFailure, emptyReport, type ImportReport } from './report.js';

export interface ImportProgress {
  done: number;
  total: number;
  item: PlannedItem;
  outcome: 'imported' | 'skipped' | 'failed';
}

export interface ImportOptions {
  /**
   * A client to write through (it keeps its own privacy rules); else one is
   * created from `clientOptions` with the folder's privacy.config.json, and closed at the end.
   */
  client?: MemoryClient;
  clientOptions?: ClientOptions;
  /** The submodule the items belong to (default: the token's). Another submodule needs an admin token. */
  submoduleId?: string;
  /** The level of items whose source names none (default TEAM). */
  privacy?: PrivacyLevel;
  dryRun?: boolean;
  /** The server's content limit (default: MEMCTX_MAX_CONTENT_BYTES, else 5 MiB): larger sessions are split. */
  maxContentBytes?: number;
  /**
   * Sends the queue after this many writes, so a long import does not build
   * one huge outbox (default 500); the flush runs while the next writes are
   * prepared, and the one after waits for it.
   */
  flushEvery?: number;
  onProgress?: (progress: ImportProgress) => void;
}

const DEFAULT_MAX_CONTENT_BYTES = 5 * 1024 * 1024;
export const PRIVACY_CONFIG = 'privacy.config.json';

/** A client for the import; the folder's privacy.config.json, when present, governs its redaction. */
function openClient(clientOptions: ClientOptions, privacyConfigPath: string | undefined): MemoryClient {
  try {
    return createClient({ pullIntervalMs: 0, pushOnWrite: false, ...clientOptions, ...(privacyConfigPath ? { privacyConfigPath } : {}) });
  } catch (err) {
    // Importing without the folder's rules could let out what they redact: stop, and say which file to fix.
    if (err instanceof PrivacyConfigError) throw new SdkError('BAD_USER_INPUT', `${err.message} Fix the folder's ${PRIVACY_CONFIG} (docs/security.md) and import again.`);
    throw err;
  }
}

/** Items looked up together: one cache pass and one server request per kind (the server's `…ByIds` limit). */
const PRESENCE_CHUNK = 100;

function apiOf(client: MemoryClient, kind: PlannedItem['item']['kind']) {
  return kind === 'session' ? client.sessions : kind === 'pattern' ? client.patterns : client.checkpoints;
}

/**
 * Which of these items are already stored: in the ledger (what earlier runs
 * with this cache wrote), in the cache (`cache-first`: also writes a killed run
 * queued but never sent), or on the server, asked once per kind for the chunk.
 */
async function presentIds(client: MemoryClient, ledger: ImportLedger, chunk: readonly PlannedItem[]): Promise<Set<string>> {
  const present = new Set<string>();
  const byKind = new Map<PlannedItem['item']['kind'], string[]>();
  for (const planned of chunk) {
    if (ledger.has(planned.id)) present.add(planned.id);
    else byKind.set(planned.item.kind, [...(byKind.get(planned.item.kind) ?? []), planned.id]);
  }
  for (const [kind, ids] of byKind) {
    const found = await apiOf(client, kind).getMany(ids, { fetchPolicy: 'cache-first' });
    found.forEach((result, i) => {
      if (result.data !== null) present.add(ids[i]!);
    });
  }
  return present;
}

async function write(client: MemoryClient, submoduleId: string | undefined, { id, item }: PlannedItem): Promise<void> {
  const owner = submoduleId ? { submoduleId } : {};
  if (item.kind === 'session') await client.sessions.create({ ...item.input, ...owner, id });
  else if (item.kind === 'pattern') await client.patterns.record({ ...item.input, ...owner, id });
  else await client.checkpoints.create({ ...item.input, ...owner, id });
}

/**
 * Imports a MEMORY-CONTEXT folder (the seed layout: memory-context.db,
 * sessions/, checkpoints/, exports/, privacy.config.json) through the SDK's
 * write path: redaction, the outbox, then a flush. Ids derive from content, so
 * a rerun (or a run resumed after a kill) skips what is present. Bad items are
 * reported and the run goes on. See docs/import.md.
 */
export async function importMemoryContext(dir: string, options: ImportOptions = {}): Promise<ImportReport> {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new SdkError('BAD_USER_INPUT', `${dir} is not a folder; pass the MEMORY-CONTEXT directory.`);
  const privacyConfig = join(root, PRIVACY_CONFIG);
  const client = options.client ?? openClient(options.clientOptions ?? {}, existsSync(privacyConfig) ? privacyConfig : undefined);
  try {
    const submoduleId = options.submoduleId ?? client.status().submoduleId;
    if (!submoduleId) throw new SdkError('NOT_CONFIGURED', 'No submodule: pass --submodule, or a token (MEMCTX_TOKEN or `memctx login`) whose subject is the submodule.');
    const envLimit = Number(process.env.MEMCTX_MAX_CONTENT_BYTES);
    const maxContentBytes = options.maxContentBytes ?? (envLimit > 0 ? envLimit : DEFAULT_MAX_CONTENT_BYTES);
    const plan = planImport(root, { submoduleId, privacy: options.privacy ?? 'TEAM', maxContentBytes });
    const report = emptyReport(root, submoduleId, options.dryRun ?? false);
    report.notImported = plan.notImported;
    for (const f of plan.failures) addFailure(report, f);

    const ledger = ImportLedger.beside(client.status().cachePath);
    try {
      await runPlan(client, ledger, plan.items, report, options);
    } finally {
      ledger.close();
    }
    return report;
  } finally {
    if (!options.client) await client.close();
  }
}

/** An item of a chunk: whether it is skipped, the promise of its local write, or why it failed. */
interface Decided {
  planned: PlannedItem;
  skip: boolean;
  written?: Promise<void>;
  failure?: SdkError;
}

/** The error, unless it fails every item alike (a refused or missing token): then the run stops with it. */
function fatalOr(err: unknown): SdkError {
  const error = toSdkError(err);
  if (error.code === 'UNAUTHENTICATED' || error.code === 'NOT_CONFIGURED') throw error;
  return error;
}

/**
 * Starts the chunk's local writes inside one cache transaction: one SQLite
 * commit for the chunk instead of one per item. Each write is still its own
 * savepoint and its own queued write, so a refused one fails alone; if the
 * commit itself fails, none of them is stored and each fails with it.
 */
function writeInOneTransaction(client: MemoryClient, submoduleId: string | undefined, items: Decided[]): void {
  if (items.length === 0) return;
  try {
    inOneLocalTransaction(client, () => {
      for (const d of items) d.written = write(client, submoduleId, d.planned);
    });
  } catch (err) {
    for (const d of items) d.written = Promise.reject(err);
  }
  for (const d of items) d.written?.catch(() => {}); // awaited item by item
}

/** Writes the planned items in order (skipping those present), flushes, and counts what the server refused. */
async function runPlan(client: MemoryClient, ledger: ImportLedger, items: PlannedItem[], report: ImportReport, options: ImportOptions): Promise<void> {
  const flushEvery = options.flushEvery ?? 500;
  const startedAt = Date.now();
  const counted = new Map<string, 'imported' | 'skipped'>();
  let writes = 0;
  let done = 0;
  /**
   * The flush in flight: the next writes are read, redacted and queued while
   * the server stores the last ones, and the one after waits for it (at most
   * one flush and `flushEvery` writes ahead of the server).
   */
  let flushing: Promise<unknown> | undefined;
  const flushInBackground = async () => {
    await flushing;
    flushing = client.flush();
    flushing.catch(() => {}); // awaited at the next flush point or at the end
  };
  for (let start = 0; start < items.length; start += PRESENCE_CHUNK) {
    const chunk = items.slice(start, start + PRESENCE_CHUNK);
    const present = new Set<string>();
    let itemByItem = false;
    try {
      for (const id of await presentIds(client, ledger, chunk)) present.add(id);
    } catch (err) {
      const error = toSdkError(err);
      // A refused or missing token fails every item alike: stop with it rather than report each one.
      if (error.code === 'UNAUTHENTICATED' || error.code === 'NOT_CONFIGURED') throw error;
      // Anything else: each item of the chunk is asked alone below, so a failure is that item's alone.
      itemByItem = true;
    }
    // What each item needs: skipped (present), written, or failed (its own presence lookup).
    const decided: Decided[] = [];
    for (const planned of chunk) {
      try {
        if (itemByItem) for (const id of await presentIds(client, ledger, [planned])) present.add(id);
        const skip = present.has(planned.id);
        present.add(planned.id);
        decided.push({ planned, skip });
      } catch (err) {
        decided.push({ planned, skip: false, failure: fatalOr(err) });
      }
    }
    const toWrite = report.dryRun ? [] : decided.filter((d) => !d.skip && !d.failure);
    writeInOneTransaction(client, options.submoduleId, toWrite);
    const written: PlannedItem[] = [];
    for (const d of toWrite) {
      try {
        await d.written;
        written.push(d.planned);
      } catch (err) {
        d.failure = fatalOr(err);
      }
    }
    // After the local writes committed: a kill in between leaves the items in the cache, found there next time.
    ledger.recordMany(written.map((p) => ({ itemId: p.id, kind: p.item.kind, source: p.item.source })));
    for (const { planned, skip, failure } of decided) {
      let outcome: ImportProgress['outcome'];
      if (failure) {
        addFailure(report, { kind: planned.item.kind, source: planned.item.source, code: 'WRITE_FAILED', reason: `${failure.code}: ${failure.message}` });
        outcome = 'failed';
      } else {
        outcome = skip ? 'skipped' : 'imported';
        report.counts[planned.item.kind][outcome] += 1;
        counted.set(`${planned.item.kind}:${planned.id}`, outcome);
      }
      done += 1;
      options.onProgress?.({ done, total: items.length, item: planned, outcome });
    }
    const before = writes;
    writes += written.length;
    if (Math.floor(writes / flushEvery) > Math.floor(before / flushEvery)) await flushInBackground();
  }
  if (report.dryRun) return;
  await flushing?.catch(() => {}); // what it left queued, the last flush sends
  const flushed = await client.flush();
  report.flush = { sent: flushed.sent, remaining: flushed.remaining, online: flushed.stoppedBy === null, stoppedBy: flushed.stoppedBy?.message ?? null };
  // What the server refused during this run is a failure of that item, also one a killed run had queued;
  // it leaves the ledger (and the SDK drops its cached copy), so a later run tries it again.
  const byKey = new Map(items.map((p) => [`${p.item.kind}:${p.id}`, p]));
  for (const r of client.rejected.list()) {
    const key = `${r.kind}:${r.entityId}`;
    const was = counted.get(key);
    const planned = byKey.get(key);
    if (!was || !planned || Date.parse(r.rejectedAt) < startedAt) continue;
    counted.delete(key);
    report.counts[planned.item.kind][was] -= 1;
    ledger.forget(planned.id);
    addFailure(report, { kind: planned.item.kind, source: planned.item.source, code: 'REJECTED', reason: `${r.code}: ${r.reason}` });
  }
}
