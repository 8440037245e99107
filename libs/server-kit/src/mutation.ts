import { requireScope } from '@memory-context/auth';
import { auditInsert, type AuditDetails } from '@memory-context/audit';
import { assertIdempotencyKey, ensureSubmodule, runIdempotentIn, type Db, type Performed, type Tx, type mechanismTables } from '@memory-context/db';
import { MemctxError, type Scope } from '@memory-context/protocol';
import type { RequestContext } from './context.js';

type MutationsTable = ReturnType<typeof mechanismTables>['mutations'];

export interface AuditFacts {
  action: string;
  resourceType: string;
  resourceId: string;
  submoduleId: string;
  reason?: string | null;
  details?: AuditDetails;
}

export interface MutationSpec<T, Stored> {
  operation: string;
  /** The scope the caller needs (default memory:write). */
  scope?: Scope;
  mutations: MutationsTable;
  idempotencyKey: string | null | undefined;
  /** The arguments: a replay with other arguments is refused. */
  request: unknown;
  /** What the denied-attempt audit event names when the write is refused. */
  target: { resourceType: string; resourceId: string | null };
  perform: (tx: Tx) => Promise<{ result: T; audit: AuditFacts }>;
  /** What is kept for a replay (small: ids, not content)… */
  store: (result: T) => Stored;
  /** …and how a replay turns it back into the result. */
  replay: (stored: Stored) => Promise<T>;
  /**
   * For a create that a batch may apply together with others of its kind
   * (bulk-create.ts): the row it would insert, computed without a statement.
   * `perform` stays the reference: the bulk path must store the same rows,
   * changes, key records and audit events.
   */
  bulkCreate?: BulkCreate<T>;
}

/** How a batch of creates of one kind is written in a few statements (the same object for every create of that kind). */
export interface BulkCreateTable<Row> {
  /** One statement: every row, skipping ids already taken; returns the rows inserted. */
  insert(tx: Tx, values: readonly unknown[]): Promise<Row[]>;
  id(row: Row): string;
  /** One statement: the change-feed rows of the inserted rows, in their order. */
  appendChanges(tx: Tx, rows: readonly Row[]): Promise<void>;
  /** The audit event `perform` gives for this row. */
  audit(row: Row): AuditFacts;
}

export interface BulkCreate<Row> {
  table: BulkCreateTable<Row>;
  /** The id the row will have. */
  id: string;
  /** The row to insert; throws the MemctxError `perform` would (access, limits). */
  prepare(): unknown;
}

/** What one write came to: what its key keeps, whether it was a replay, and the fresh result when it was not. */
export interface MutationOutcome<T, Stored> {
  stored: Stored;
  replayed: boolean;
  /** The result of `perform`; undefined for a replay. */
  result: T | undefined;
}

/**
 * The one write path of every subgraph, inside the caller's transaction:
 * scope check, idempotency, submodule registration, the write and its audit
 * event. A single mutation runs it in a transaction of its own; a batch runs
 * each write in a savepoint of one transaction (write-batch.ts).
 */
export async function applyMutation<T, Stored>(tx: Tx, context: RequestContext, spec: MutationSpec<T, Stored>, options: { submoduleEnsured?: boolean } = {}): Promise<MutationOutcome<T, Stored>> {
  const { principal } = context;
  requireScope(principal, spec.scope ?? 'memory:write');
  let result: T | undefined;
  const write = async (tx: Tx): Promise<Performed<Stored>> => {
    if (!options.submoduleEnsured) await ensureSubmodule(tx, principal.submoduleId);
    const performed = await spec.perform(tx);
    result = performed.result;
    const { audit } = performed;
    const event = { ...audit, reason: audit.reason ?? context.accessReason, actor: principal.submoduleId, requestId: context.requestId, outcome: 'SUCCESS' as const };
    // Sent with the idempotency record in one statement.
    return { result: spec.store(performed.result), alongside: auditInsert(event) };
  };
  const key = spec.idempotencyKey;
  if (key === null || key === undefined) {
    const { result: stored, alongside } = await write(tx);
    if (alongside) await tx.execute(alongside.getSQL());
    return { stored, replayed: false, result };
  }
  assertIdempotencyKey(key);
  const outcome = await runIdempotentIn(tx, spec.mutations, { submoduleId: principal.submoduleId, key, operation: spec.operation, request: spec.request }, write);
  if (outcome.replayed) context.log.info({ operation: spec.operation, key }, 'idempotent replay');
  return { stored: outcome.result, replayed: outcome.replayed, result: outcome.replayed ? undefined : result };
}

/** A single mutation: its write in one transaction; a replay reads its result back. */
export async function runMutation<T, Stored>(db: Db, context: RequestContext, spec: MutationSpec<T, Stored>): Promise<T> {
  try {
    requireScope(context.principal, spec.scope ?? 'memory:write');
    const outcome = await db.transaction((tx) => applyMutation(tx, context, spec));
    return outcome.replayed ? await spec.replay(outcome.stored) : (outcome.result as T);
  } catch (error) {
    auditRefusal(context, spec, error);
    throw error;
  }
}

/** A write refused for access (its transaction or savepoint rolled back) is audited outside it. */
export function auditRefusal(context: RequestContext, spec: Pick<MutationSpec<unknown, unknown>, 'operation' | 'target'>, error: unknown): void {
  if (error instanceof MemctxError && (error.code === 'FORBIDDEN' || error.code === 'NOT_FOUND')) {
    context.audit.append({
      actor: context.principal.submoduleId,
      action: spec.operation,
      resourceType: spec.target.resourceType,
      resourceId: spec.target.resourceId,
      requestId: context.requestId,
      outcome: 'DENIED',
      details: { code: error.code },
    });
  }
}
