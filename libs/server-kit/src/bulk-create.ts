import { auditInsertMany } from '@memory-context/audit';
import { claimKeys, hashRequest, IDEMPOTENCY_KEY, recordResults, type Tx } from '@memory-context/db';
import { MemctxError } from '@memory-context/protocol';
import type { RequestContext } from './context.js';
import type { MutationSpec } from './mutation.js';

/** One create of a batch that can go the bulk way: its spec and its bulk part. */
interface BulkWrite<T, Stored> {
  key: string;
  spec: MutationSpec<T, Stored> & { bulkCreate: NonNullable<MutationSpec<T, Stored>['bulkCreate']> };
}

/** The bulk way does not fit this batch: roll it back and take the write-by-write path. */
export class BulkNotApplicable extends Error {}

/**
 * The creates of a batch that may be written together: two or more creates,
 * all keyed (well-formed keys), needing only memory:write, all of one kind,
 * with distinct ids and keys. Anything else (an update, a delete, a mix of
 * kinds) is written write by write, in order.
 */
export function bulkCreates<T, Stored>(writes: ReadonlyArray<{ key: string; spec: MutationSpec<T, Stored> } | { key: string; invalid: MemctxError }>): Array<BulkWrite<T, Stored>> | null {
  if (writes.length < 2) return null;
  const bulk: Array<BulkWrite<T, Stored>> = [];
  const ids = new Set<string>();
  const keys = new Set<string>();
  for (const write of writes) {
    if (!('spec' in write) || !write.spec.bulkCreate || write.spec.idempotencyKey !== write.key) return null;
    // A malformed key or another scope is refused write by write, as alone.
    if (!IDEMPOTENCY_KEY.test(write.key) || (write.spec.scope ?? 'memory:write') !== 'memory:write') return null;
    const { table, id } = write.spec.bulkCreate;
    if (bulk.length > 0 && table !== bulk[0]!.spec.bulkCreate.table) return null;
    if (ids.has(id) || keys.has(write.key)) return null;
    ids.add(id);
    keys.add(write.key);
    bulk.push(write as BulkWrite<T, Stored>);
  }
  return bulk;
}

/**
 * Writes a batch of creates in five statements whatever its size, inside the
 * caller's transaction: the keys claimed, the rows inserted, their change
 * rows, then their key records with their audit rows. What the single path
 * would answer differently — a replayed key, a taken id, a refused input —
 * throws BulkNotApplicable before anything commits, and the caller takes the
 * write-by-write path, which answers each write as a single mutation does.
 */
export async function applyBulkCreates<T, Stored>(tx: Tx, context: RequestContext, writes: ReadonlyArray<BulkWrite<T, Stored>>): Promise<Array<{ key: string; result: T; stored: Stored }>> {
  const { principal } = context;
  const table = writes[0]!.spec.bulkCreate.table;
  const mutations = writes[0]!.spec.mutations;
  let values: unknown[];
  try {
    values = writes.map((w) => w.spec.bulkCreate.prepare());
  } catch (error) {
    if (error instanceof MemctxError) throw new BulkNotApplicable();
    throw error;
  }
  const claimed = await claimKeys(
    tx,
    mutations,
    principal.submoduleId,
    writes.map((w) => ({ key: w.key, operation: w.spec.operation, requestHash: hashRequest(w.spec.operation, w.spec.request) })),
  );
  if (claimed.size < writes.length) throw new BulkNotApplicable();
  const inserted = await table.insert(tx, values);
  if (inserted.length < writes.length) throw new BulkNotApplicable();
  const byId = new Map(inserted.map((row) => [table.id(row), row]));
  const rows = writes.map((w) => byId.get(w.spec.bulkCreate.id));
  if (rows.some((row) => row === undefined)) throw new MemctxError('INTERNAL', 'A bulk insert returned rows other than those asked for.');
  const results = rows as T[];
  await table.appendChanges(tx, results);
  const events = results.map((row) => {
    const audit = table.audit(row);
    return { ...audit, reason: audit.reason ?? context.accessReason, actor: principal.submoduleId, requestId: context.requestId, outcome: 'SUCCESS' as const };
  });
  const stored = writes.map((w, i) => w.spec.store(results[i]!));
  await recordResults(
    tx,
    mutations,
    principal.submoduleId,
    writes.map((w, i) => ({ key: w.key, result: stored[i] })),
    auditInsertMany(events),
  );
  return writes.map((w, i) => ({ key: w.key, result: results[i]!, stored: stored[i]! }));
}
