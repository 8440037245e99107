import { requireScope } from '@memory-context/auth';
import { recordAudit, type AuditDetails } from '@memory-context/audit';
import { ensureSubmodule, runIdempotent, type Db, type Tx, type mechanismTables } from '@memory-context/db';
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
}

/**
 * The one write path of every subgraph: scope check, idempotency, submodule
 * registration, the write and its audit event in one transaction, and an
 * audit event for a refused attempt (whose transaction rolled back).
 */
export async function runMutation<T, Stored>(db: Db, context: RequestContext, spec: MutationSpec<T, Stored>): Promise<T> {
  const { principal } = context;
  try {
    requireScope(principal, spec.scope ?? 'memory:write');
    const outcome = await runIdempotent(
      db,
      spec.mutations,
      { submoduleId: principal.submoduleId, key: spec.idempotencyKey, operation: spec.operation, request: spec.request },
      async (tx) => {
        await ensureSubmodule(tx, principal.submoduleId);
        const { result, audit } = await spec.perform(tx);
        await recordAudit(tx, { ...audit, reason: audit.reason ?? context.accessReason, actor: principal.submoduleId, requestId: context.requestId, outcome: 'SUCCESS' });
        return spec.store(result);
      },
    );
    if (outcome.replayed) context.log.info({ operation: spec.operation, key: spec.idempotencyKey }, 'idempotent replay');
    return await spec.replay(outcome.result);
  } catch (error) {
    if (error instanceof MemctxError && (error.code === 'FORBIDDEN' || error.code === 'NOT_FOUND')) {
      context.audit.append({
        actor: principal.submoduleId,
        action: spec.operation,
        resourceType: spec.target.resourceType,
        resourceId: spec.target.resourceId,
        requestId: context.requestId,
        outcome: 'DENIED',
        details: { code: error.code },
      });
    }
    throw error;
  }
}
