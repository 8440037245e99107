import { hasScope } from '@memory-context/auth';
import { ensureSubmodule, type Db, type Tx } from '@memory-context/db';
import { MemctxError, PERMANENT_CODES } from '@memory-context/protocol';
import type { RequestContext } from './context.js';
import { applyBulkCreates, bulkCreates, BulkNotApplicable } from './bulk-create.js';
import { applyMutation, auditRefusal, type MutationSpec } from './mutation.js';

/** One write of a batch: the spec its single mutation would run, or why it cannot run. */
export type BatchWrite<T, Stored> = { key: string; spec: MutationSpec<T, Stored> } | { key: string; invalid: MemctxError };

export type BatchResult<T, Stored> =
  | { key: string; status: 'APPLIED'; result: T; stored: Stored }
  | { key: string; status: 'REPLAYED'; stored: Stored }
  | { key: string; status: 'CONFLICT' | 'REJECTED'; error: MemctxError };

/** A write that fails with one of these is answered in its result; anything else fails the whole batch. */
function isWriteError(error: unknown): error is MemctxError {
  return error instanceof MemctxError && (error.code === 'CONFLICT' || PERMANENT_CODES.has(error.code));
}

/** Ends a first attempt without savepoints when one of its writes fails (rolling back its transaction). */
class WriteFailed extends Error {}

/**
 * Applies a batch of writes in order in one transaction. A batch made only of
 * creates of one kind (a flush, an import) is written in a few statements in
 * all (bulk-create.ts); any other batch, or one the bulk way cannot answer
 * alike, goes write by write through the single-write path (applyMutation).
 * There, a refused or conflicting write must roll back alone, its key
 * unclaimed, the others standing: that takes a savepoint per write, two more statements each. Most batches have no such write, so
 * the first attempt runs without savepoints; if a write fails, it rolls back
 * and the batch runs again with a savepoint per write. An error that is not
 * a write's (the database went away) fails the whole batch, which commits
 * nothing and can be resent as it is.
 */
export async function runWriteBatch<T, Stored>(db: Db, context: RequestContext, writes: ReadonlyArray<BatchWrite<T, Stored>>, maxWrites: number): Promise<Array<BatchResult<T, Stored>>> {
  if (writes.length > maxWrites) {
    throw new MemctxError('PAYLOAD_TOO_LARGE', `A batch carries at most ${maxWrites} writes (MEMCTX_MAX_WRITE_BATCH); this one has ${writes.length}: split it.`, {
      limit: maxWrites,
      size: writes.length,
    });
  }
  if (writes.length === 0) return [];
  const canWrite = hasScope(context.principal, 'memory:write');
  const bulk = canWrite ? bulkCreates(writes) : null;
  if (bulk) {
    try {
      // A batch of creates (a flush, an import): a few statements in all instead of four per write.
      return await db.transaction(async (tx) => {
        await ensureSubmodule(tx, context.principal.submoduleId);
        const applied = await applyBulkCreates(tx, context, bulk);
        return applied.map((a): BatchResult<T, Stored> => ({ key: a.key, status: 'APPLIED', result: a.result, stored: a.stored }));
      });
    } catch (error) {
      if (!(error instanceof BulkNotApplicable)) throw error;
    }
  }
  const attempt = (savepoints: boolean) =>
    db.transaction(async (tx) => {
      // Registering the caller (on its first write) is the same for every write: once per batch.
      // A token that may not write registers nothing, as alone.
      if (canWrite) await ensureSubmodule(tx, context.principal.submoduleId);
      const out: Array<BatchResult<T, Stored>> = [];
      for (const write of writes) {
        if ('invalid' in write) {
          out.push({ key: write.key, status: 'REJECTED', error: write.invalid });
          continue;
        }
        try {
          const apply = (t: Tx) => applyMutation(t, context, write.spec, { submoduleEnsured: canWrite });
          const outcome = savepoints ? await tx.transaction(apply) : await apply(tx);
          out.push(outcome.replayed ? { key: write.key, status: 'REPLAYED', stored: outcome.stored } : { key: write.key, status: 'APPLIED', result: outcome.result as T, stored: outcome.stored });
        } catch (error) {
          if (!isWriteError(error)) throw error;
          if (!savepoints) throw new WriteFailed();
          out.push({ key: write.key, status: error.code === 'CONFLICT' ? 'CONFLICT' : 'REJECTED', error });
        }
      }
      return out;
    });
  const results = await attempt(false).catch((error: unknown) => {
    if (error instanceof WriteFailed) return attempt(true);
    throw error;
  });
  writes.forEach((write, i) => {
    const result = results[i];
    if ('spec' in write && result && 'error' in result) auditRefusal(context, write.spec, result.error);
  });
  return results;
}

/** The GraphQL shape of a failed write's code and message. */
export function writeError(error: MemctxError): { code: string; message: string } {
  return { code: error.code, message: error.message };
}

/**
 * Exactly one operation per write: the name of the one given, or a
 * BAD_USER_INPUT naming the choices.
 */
export function chooseOperation<K extends string>(write: Partial<Record<K, unknown>>, operations: readonly K[]): K | MemctxError {
  const given = operations.filter((op) => write[op] !== null && write[op] !== undefined);
  const [only] = given;
  if (given.length === 1 && only !== undefined) return only;
  return new MemctxError('BAD_USER_INPUT', `A write carries exactly one of ${operations.join(', ')}; this one has ${given.length === 0 ? 'none' : given.join(' and ')}.`);
}

/**
 * A write's key is the batch entry's `idempotencyKey`; an input that names
 * one of its own must name the same (BAD_USER_INPUT otherwise).
 */
export function assertSameKey(key: string, inputKey: string | null | undefined): void {
  if (inputKey !== null && inputKey !== undefined && inputKey !== key) {
    throw new MemctxError('BAD_USER_INPUT', `The write's input names idempotencyKey "${inputKey}" but the write is keyed "${key}": give one key.`);
  }
}

/** Builds a write's spec; an input error (BAD_USER_INPUT from parsing) makes that write invalid, not the batch. */
export function batchWrite<T, Stored>(key: string, build: () => MutationSpec<T, Stored>): BatchWrite<T, Stored> {
  try {
    return { key, spec: build() };
  } catch (error) {
    if (isWriteError(error)) return { key, invalid: error };
    throw error;
  }
}
