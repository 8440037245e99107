import { MemctxError } from '@memory-context/protocol';
import type { Db, Tx, mechanismTables } from '@memory-context/db';
import type { RequestContext } from './context.js';
import { runMutation, type MutationSpec } from './mutation.js';
import { parseId } from './parse-input.js';

type MutationsTable = ReturnType<typeof mechanismTables>['mutations'];

/** The arguments every `delete<Entity>` mutation takes (the generated `Mutation<Delete…>Args` of each subgraph). */
export interface DeleteArgs {
  id: string;
  gdprRequest?: boolean | null;
  reason?: string | null;
  idempotencyKey?: string | null;
}

export interface DeletePayload {
  id: string;
  deleted: true;
  purgeAfter: string;
}

export interface DeleteSpec {
  operation: string;
  resourceType: string;
  mutations: MutationsTable;
  remove: (tx: Tx, id: string, gdpr: boolean, reason: string | null) => Promise<{ purgeAfter: Date; submoduleId: string }>;
}

/**
 * `delete<Entity>(id, gdprRequest, reason, idempotencyKey)` of every
 * subgraph: a GDPR request needs a reason (kept in the audit trail), the
 * store tombstones and archives, the runner makes it idempotent and audited.
 */
export function deleteMutation(db: Db, context: RequestContext, args: DeleteArgs, spec: DeleteSpec): Promise<DeletePayload> {
  return runMutation(db, context, deleteMutationSpec(args, spec));
}

/** The write a delete runs, alone or in a batch; BAD_USER_INPUT for unusable arguments. */
export function deleteMutationSpec(args: DeleteArgs, spec: DeleteSpec): MutationSpec<DeletePayload, DeletePayload> {
  const id = parseId(args.id);
  const gdpr = args.gdprRequest === true;
  const reason = args.reason != null && args.reason.trim() !== '' ? args.reason.trim() : null;
  if (gdpr && reason === null) throw new MemctxError('BAD_USER_INPUT', 'A GDPR deletion needs a `reason` (it is kept in the audit trail).');
  return {
    operation: spec.operation,
    mutations: spec.mutations,
    idempotencyKey: args.idempotencyKey,
    request: args,
    target: { resourceType: spec.resourceType, resourceId: id },
    perform: async (tx) => {
      const removed = await spec.remove(tx, id, gdpr, reason);
      return {
        result: { id, deleted: true as const, purgeAfter: removed.purgeAfter.toISOString() },
        audit: {
          action: `${spec.resourceType}.${gdpr ? 'gdpr_delete' : 'delete'}`,
          resourceType: spec.resourceType,
          resourceId: id,
          submoduleId: removed.submoduleId,
          reason,
        },
      };
    },
    store: (payload) => payload,
    replay: async (payload) => payload,
  };
}
