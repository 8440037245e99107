import { createHash } from 'node:crypto';
import { and, eq, lt, sql, type SQLWrapper } from 'drizzle-orm';
import { MemctxError } from '@memory-context/protocol';
import type { Db, Tx } from '../database.js';
import type { mechanismTables } from '../schema/columns.js';
import { jsonbRecordset, recordsInsert } from './insert-records.js';
import { rawRows } from './raw-rows.js';

type MutationsTable = ReturnType<typeof mechanismTables>['mutations'];

export const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,128}$/;

export interface IdempotentRequest {
  submoduleId: string;
  /** Client-chosen key; undefined runs the mutation without replay protection. */
  key: string | null | undefined;
  operation: string;
  /** The arguments; a replay with other arguments is refused. */
  request: unknown;
}

export type IdempotentOutcome<T> = { result: T; replayed: boolean };

/**
 * Runs `perform` in one transaction together with the record of its key. A
 * replayed key returns the stored result and changes nothing; two concurrent
 * requests with one key serialise on the key's row, so only one performs.
 */
export async function runIdempotent<T>(db: Db, table: MutationsTable, req: IdempotentRequest, perform: (tx: Tx) => Promise<T>): Promise<IdempotentOutcome<T>> {
  if (req.key === null || req.key === undefined) {
    return { result: await db.transaction(perform), replayed: false };
  }
  const key = req.key;
  assertIdempotencyKey(key);
  return db.transaction((tx) => runIdempotentIn(tx, table, { ...req, key }, async (tx) => ({ result: await perform(tx) })));
}

export function assertIdempotencyKey(key: string): void {
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new MemctxError('BAD_USER_INPUT', 'idempotencyKey must be 8 to 128 characters of letters, digits, ".", "_", ":" or "-" (a UUID is ideal).');
  }
}

/** What a keyed write did: its result, and a statement to run with the one that records it. */
export interface Performed<T> {
  result: T;
  /** Such as the write's audit row: sent in one statement (a CTE) with the result's record. */
  alongside?: SQLWrapper;
}

/**
 * The same, inside the caller's transaction (or savepoint): a batch of writes
 * claims each key in its own savepoint of one transaction. `perform`'s result
 * is stored with the key in the statement that records it.
 */
export async function runIdempotentIn<T>(tx: Tx, table: MutationsTable, req: IdempotentRequest & { key: string }, perform: (tx: Tx) => Promise<Performed<T>>): Promise<IdempotentOutcome<T>> {
  const { key } = req;
  const requestHash = hashRequest(req.operation, req.request);
  const claimed = await tx
    .insert(table)
    .values({ submoduleId: req.submoduleId, key, operation: req.operation, requestHash })
    .onConflictDoNothing()
    .returning({ key: table.key });
  if (claimed.length === 0) {
    const [previous] = await tx
      .select()
      .from(table)
      .where(and(eq(table.submoduleId, req.submoduleId), eq(table.key, key)));
    if (!previous) throw new MemctxError('INTERNAL', 'Idempotency record vanished during replay.');
    if (previous.operation !== req.operation || previous.requestHash !== requestHash) {
      throw new MemctxError('BAD_USER_INPUT', `idempotencyKey "${key}" was already used for a different request; use a new key for a new write.`);
    }
    return { result: previous.result as T, replayed: true };
  }
  const { result, alongside } = await perform(tx);
  const record = tx
    .update(table)
    .set({ result: result as never })
    .where(and(eq(table.submoduleId, req.submoduleId), eq(table.key, key)));
  if (alongside) await tx.execute(sql`with alongside as (${alongside.getSQL()}) ${record.getSQL()}`);
  else await record;
  return { result, replayed: false };
}

/**
 * Claims many keys in one statement (a batch of creates): returns the keys
 * claimed now; a key already recorded (a replay, or another request's) is not
 * among them and is left as it was. Rows go in key order, so two batches
 * sharing keys wait for each other in one order and cannot deadlock.
 */
export async function claimKeys(tx: Tx, table: MutationsTable, submoduleId: string, claims: ReadonlyArray<{ key: string; operation: string; requestHash: string }>): Promise<Set<string>> {
  if (claims.length === 0) return new Set();
  for (const { key } of claims) assertIdempotencyKey(key);
  const ordered = [...claims].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const rows = ordered.map((c) => ({ submoduleId, key: c.key, operation: c.operation, requestHash: c.requestHash }));
  const claimed = await rawRows<{ key: string }>(tx, recordsInsert(table, rows, { onConflictDoNothing: true, returning: sql`${sql.identifier(table.key.name)} as key` }));
  return new Set(claimed.map((c) => c.key));
}

/** Stores the results of keys claimed by claimKeys, in one statement with `alongside` (the writes' audit rows). */
export async function recordResults(tx: Tx, table: MutationsTable, submoduleId: string, results: ReadonlyArray<{ key: string; result: unknown }>, alongside?: SQLWrapper): Promise<void> {
  if (results.length === 0) return;
  // The results as one jsonb parameter (a VALUES list costs a parameter per value to build and to bind).
  const records = jsonbRecordset(
    results.map((r) => ({ key: r.key, result: r.result ?? null })),
    [
      ['key', 'text'],
      ['result', 'jsonb'],
    ],
  );
  const update = sql`update ${table} set ${sql.identifier(table.result.name)} = r.result from ${records} where ${table.submoduleId} = ${submoduleId} and ${table.key} = r.key`;
  await tx.execute(alongside ? sql`with alongside as (${alongside.getSQL()}) ${update}` : update);
}

export function hashRequest(operation: string, request: unknown): string {
  return createHash('sha256').update(operation).update('\0').update(canonicalJson(request)).digest('hex');
}

/** JSON with sorted keys, so equal requests hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export async function expireIdempotencyKeys(db: Db, table: MutationsTable, ttlSeconds: number): Promise<number> {
  const removed = await db
    .delete(table)
    .where(lt(table.createdAt, sql`now() - make_interval(secs => ${ttlSeconds})`))
    .returning({ key: table.key });
  return removed.length;
}
