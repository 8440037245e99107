import { patternMutations, type Db } from '@memory-context/db';
import { MemctxError } from '@memory-context/protocol';
import {
  assertSameKey,
  batchWrite,
  chooseOperation,
  deleteMutationSpec,
  parseId,
  parseInput,
  runWriteBatch,
  writeError,
  type DeleteArgs,
  type DeletePayload,
  type MutationSpec,
  type RequestContext,
} from '@memory-context/server-kit';
import type { MutationRecordPatternArgs, MutationUsePatternArgs, PatternWrite, ResolversTypes } from './generated/resolvers-types.js';
import { recordPatternSchema } from './pattern-input.js';
import type { PatternRow, PatternStore } from './pattern-store.js';

type PatternWriteResult = ResolversTypes['PatternWriteResult'];
type Outcome = 'CREATED' | 'MERGED';

/** The write `recordPattern` runs, alone or in a batch. */
export function recordPatternSpec(store: PatternStore, context: RequestContext, args: MutationRecordPatternArgs): MutationSpec<{ row: PatternRow; outcome: Outcome }, { id: string; outcome: Outcome }> {
  const input = parseInput(recordPatternSchema, args.input, 'input');
  return {
    operation: 'recordPattern',
    mutations: patternMutations,
    idempotencyKey: input.idempotencyKey,
    request: args,
    target: { resourceType: 'pattern', resourceId: input.id ?? null },
    perform: async (tx) => {
      const { row, outcome } = await store.record(tx, context.principal, input);
      return {
        result: { row, outcome },
        audit: {
          action: outcome === 'CREATED' ? 'pattern.create' : 'pattern.merge',
          resourceType: 'pattern',
          resourceId: row.id,
          submoduleId: row.submoduleId,
          details: { kind: row.kind, privacyLevel: row.privacyLevel, occurrences: row.occurrences, sources: input.sourceSessionIds?.length ?? 0, redacted: row.redaction },
        },
      };
    },
    store: ({ row, outcome }) => ({ id: row.id, outcome }),
    replay: async ({ id, outcome }) => ({ row: await store.get(context.principal, id), outcome }),
  };
}

/** The write `usePattern` runs, alone or in a batch. */
export function usePatternSpec(store: PatternStore, context: RequestContext, args: MutationUsePatternArgs): MutationSpec<PatternRow, string> {
  const id = parseId(args.id);
  return {
    operation: 'usePattern',
    scope: 'memory:read',
    mutations: patternMutations,
    idempotencyKey: args.idempotencyKey,
    request: args,
    target: { resourceType: 'pattern', resourceId: id },
    perform: async (tx) => {
      const row = await store.use(tx, context.principal, id);
      return { result: row, audit: { action: 'pattern.use', resourceType: 'pattern', resourceId: id, submoduleId: row.submoduleId, details: { usageCount: row.usageCount } } };
    },
    store: (row) => row.id,
    replay: (rowId) => store.get(context.principal, rowId),
  };
}

/** The write `deletePattern` runs, alone or in a batch. */
export function deletePatternSpec(store: PatternStore, context: RequestContext, args: DeleteArgs): MutationSpec<DeletePayload, DeletePayload> {
  return deleteMutationSpec(args, {
    operation: 'deletePattern',
    resourceType: 'pattern',
    mutations: patternMutations,
    remove: (tx, id, gdpr, reason) => store.delete(tx, context.principal, id, gdpr, reason),
  });
}

type Applied = { row: PatternRow; outcome: Outcome } | PatternRow | DeletePayload;
type Kept = { id: string; outcome: Outcome } | string | DeletePayload;

/** The pattern id a kept result names, if it names one (a delete's does not). */
function keptId(kept: Kept): string | undefined {
  if (typeof kept === 'string') return kept;
  return 'outcome' in kept ? kept.id : undefined;
}

/** `applyPatternWrites`: each write is the single mutation it names, with the batch entry's key. */
export async function applyPatternWrites(db: Db, store: PatternStore, context: RequestContext, writes: readonly PatternWrite[], maxWrites: number): Promise<PatternWriteResult[]> {
  const batch = writes.map((write) =>
    batchWrite<Applied, Kept>(write.idempotencyKey, () => {
      const key = write.idempotencyKey;
      const operation = chooseOperation(write, ['record', 'use', 'delete'] as const);
      if (operation instanceof MemctxError) throw operation;
      if (operation === 'record' && write.record) {
        assertSameKey(key, write.record.idempotencyKey);
        return recordPatternSpec(store, context, { input: { ...write.record, idempotencyKey: key } }) as MutationSpec<Applied, Kept>;
      }
      if (operation === 'use' && write.use) return usePatternSpec(store, context, { id: write.use.id, idempotencyKey: key }) as MutationSpec<Applied, Kept>;
      return deletePatternSpec(store, context, { ...write.delete!, idempotencyKey: key }) as MutationSpec<Applied, Kept>;
    }),
  );
  const results = await runWriteBatch(db, context, batch, maxWrites);
  const current = await store.getMany(
    context.principal,
    results.flatMap((r) => (r.status === 'REPLAYED' ? [keptId(r.stored)].filter((id): id is string => id !== undefined) : [])),
  );
  return results.map((r): PatternWriteResult => {
    switch (r.status) {
      case 'APPLIED': {
        const { result, stored } = r;
        const pattern = 'deleted' in result ? null : 'outcome' in result ? result.row : result;
        return { idempotencyKey: r.key, status: r.status, pattern, merged: mergedOf(stored) };
      }
      case 'REPLAYED': {
        const id = keptId(r.stored);
        return { idempotencyKey: r.key, status: r.status, pattern: id === undefined ? null : (current.get(id) ?? null), merged: mergedOf(r.stored) };
      }
      case 'CONFLICT':
      case 'REJECTED':
        return { idempotencyKey: r.key, status: r.status, pattern: null, ...writeError(r.error) };
    }
  });
}

function mergedOf(kept: Kept): boolean | null {
  return typeof kept === 'object' && 'outcome' in kept ? kept.outcome === 'MERGED' : null;
}
