import { checkpointMutations, type Db } from '@memory-context/db';
import { MemctxError } from '@memory-context/protocol';
import {
  assertSameKey,
  batchWrite,
  chooseOperation,
  deleteMutationSpec,
  parseInput,
  runWriteBatch,
  writeError,
  type DeleteArgs,
  type DeletePayload,
  type MutationSpec,
  type RequestContext,
} from '@memory-context/server-kit';
import { createCheckpointSchema } from './checkpoint-input.js';
import type { CheckpointRow, CheckpointStore, CreatedCheckpoint } from './checkpoint-store.js';
import type { CheckpointWrite, MutationCreateCheckpointArgs, ResolversTypes } from './generated/resolvers-types.js';

type CheckpointWriteResult = ResolversTypes['CheckpointWriteResult'];

/** The write `createCheckpoint` runs, alone or in a batch. */
export function createCheckpointSpec(store: CheckpointStore, context: RequestContext, args: MutationCreateCheckpointArgs): MutationSpec<CheckpointRow, string> {
  const input = parseInput(createCheckpointSchema, args.input, 'input');
  return {
    operation: 'createCheckpoint',
    mutations: checkpointMutations,
    idempotencyKey: input.idempotencyKey,
    request: args,
    target: { resourceType: 'checkpoint', resourceId: input.id ?? null },
    perform: async (tx) => {
      const created = await store.create(tx, context.principal, input);
      return { result: created.row, audit: createAudit(created) };
    },
    store: (row) => row.id,
    replay: (id) => store.get(context.principal, id),
  };
}

/** The write `deleteCheckpoint` runs, alone or in a batch. */
export function deleteCheckpointSpec(store: CheckpointStore, context: RequestContext, args: DeleteArgs): MutationSpec<DeletePayload, DeletePayload> {
  return deleteMutationSpec(args, {
    operation: 'deleteCheckpoint',
    resourceType: 'checkpoint',
    mutations: checkpointMutations,
    remove: (tx, id, gdpr, reason) => store.delete(tx, context.principal, id, gdpr, reason),
  });
}

type Applied = CheckpointRow | DeletePayload;
type Kept = string | DeletePayload;

/** `applyCheckpointWrites`: each write is the single mutation it names, with the batch entry's key. */
export async function applyCheckpointWrites(db: Db, store: CheckpointStore, context: RequestContext, writes: readonly CheckpointWrite[], maxWrites: number): Promise<CheckpointWriteResult[]> {
  const batch = writes.map((write) =>
    batchWrite<Applied, Kept>(write.idempotencyKey, () => {
      const key = write.idempotencyKey;
      const operation = chooseOperation(write, ['create', 'delete'] as const);
      if (operation instanceof MemctxError) throw operation;
      if (operation === 'create' && write.create) {
        assertSameKey(key, write.create.idempotencyKey);
        return createCheckpointSpec(store, context, { input: { ...write.create, idempotencyKey: key } }) as MutationSpec<Applied, Kept>;
      }
      return deleteCheckpointSpec(store, context, { ...write.delete!, idempotencyKey: key }) as MutationSpec<Applied, Kept>;
    }),
  );
  const results = await runWriteBatch(db, context, batch, maxWrites);
  const current = await store.getMany(
    context.principal,
    results.flatMap((r) => (r.status === 'REPLAYED' && typeof r.stored === 'string' ? [r.stored] : [])),
  );
  return results.map((r): CheckpointWriteResult => {
    switch (r.status) {
      case 'APPLIED':
        return { idempotencyKey: r.key, status: r.status, checkpoint: 'deleted' in r.result ? null : r.result };
      case 'REPLAYED':
        return { idempotencyKey: r.key, status: r.status, checkpoint: typeof r.stored === 'string' ? (current.get(r.stored) ?? null) : null };
      case 'CONFLICT':
      case 'REJECTED':
        return { idempotencyKey: r.key, status: r.status, checkpoint: null, ...writeError(r.error) };
    }
  });
}

function createAudit({ row, sessionIds, auto }: CreatedCheckpoint) {
  return {
    action: 'checkpoint.create',
    resourceType: 'checkpoint',
    resourceId: row.id,
    submoduleId: row.submoduleId,
    details: { privacyLevel: row.privacyLevel, contentBytes: row.contentBytes, redacted: row.redaction, sessions: sessionIds.length, auto },
  };
}
