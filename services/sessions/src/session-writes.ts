import type { Db } from '@memory-context/db';
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
  type BulkCreateTable,
  type MutationSpec,
  type RequestContext,
} from '@memory-context/server-kit';
import { v7 as uuidv7 } from 'uuid';
import { sessionMutations } from '@memory-context/db';
import type { MutationCreateSessionArgs, MutationUpdateSessionArgs, ResolversTypes, SessionWrite } from './generated/resolvers-types.js';

type SessionWriteResult = ResolversTypes['SessionWriteResult'];
import { createSessionSchema, updateSessionSchema } from './session-input.js';
import type { NewSessionRow, SessionRow, SessionStore } from './session-store.js';

/** How a batch of session creates is written together (bulk-create.ts in server-kit). */
function bulkSessions(store: SessionStore): BulkCreateTable<SessionRow> {
  let table = bulkTables.get(store);
  if (!table) {
    table = {
      insert: (tx, values) => store.insertMany(tx, values as NewSessionRow[]),
      id: (row) => row.id,
      appendChanges: (tx, rows) => store.appendCreated(tx, rows),
      audit: (row) => writeAudit('session.create', row),
    };
    bulkTables.set(store, table);
  }
  return table;
}
const bulkTables = new WeakMap<SessionStore, BulkCreateTable<SessionRow>>();

/** The write `createSession` runs, alone or in a batch. */
export function createSessionSpec(store: SessionStore, context: RequestContext, args: MutationCreateSessionArgs): MutationSpec<SessionRow, string> {
  const input = parseInput(createSessionSchema, args.input, 'input');
  // The id the session will have, chosen now so that a batch can write it with others.
  const id = input.id ?? uuidv7();
  return {
    operation: 'createSession',
    mutations: sessionMutations,
    idempotencyKey: input.idempotencyKey,
    request: args,
    target: { resourceType: 'session', resourceId: input.id ?? null },
    perform: async (tx) => {
      const row = await store.create(tx, context.principal, { ...input, id });
      return { result: row, audit: writeAudit('session.create', row) };
    },
    store: (row) => row.id,
    replay: (storedId) => store.get(context.principal, storedId),
    bulkCreate: { table: bulkSessions(store), id, prepare: () => store.prepareCreate(context.principal, { ...input, id }) },
  };
}

/** The write `updateSession` runs, alone or in a batch. */
export function updateSessionSpec(store: SessionStore, context: RequestContext, args: MutationUpdateSessionArgs): MutationSpec<SessionRow, string> {
  const id = parseId(args.id);
  const input = parseInput(updateSessionSchema, args.input, 'input');
  return {
    operation: 'updateSession',
    mutations: sessionMutations,
    idempotencyKey: input.idempotencyKey,
    request: args,
    target: { resourceType: 'session', resourceId: id },
    perform: async (tx) => {
      const row = await store.update(tx, context.principal, id, args.baseVersion, input);
      const audit = writeAudit('session.update', row);
      return { result: row, audit: { ...audit, details: { ...audit.details, fields: Object.keys(input).filter((k) => k !== 'idempotencyKey') } } };
    },
    store: (row) => row.id,
    replay: (rowId) => store.get(context.principal, rowId),
  };
}

/** The write `deleteSession` runs, alone or in a batch. */
export function deleteSessionSpec(store: SessionStore, context: RequestContext, args: DeleteArgs): MutationSpec<DeletePayload, DeletePayload> {
  return deleteMutationSpec(args, {
    operation: 'deleteSession',
    resourceType: 'session',
    mutations: sessionMutations,
    remove: (tx, id, gdpr, reason) => store.delete(tx, context.principal, id, gdpr, reason),
  });
}

type Applied = SessionRow | DeletePayload;
type Kept = string | DeletePayload;

/**
 * `applySessionWrites`: each write is the single mutation it names, with the
 * batch entry's key (so a write first sent alone replays in a batch, and back).
 */
export async function applySessionWrites(db: Db, store: SessionStore, context: RequestContext, writes: readonly SessionWrite[], maxWrites: number): Promise<SessionWriteResult[]> {
  const batch = writes.map((write) =>
    batchWrite<Applied, Kept>(write.idempotencyKey, () => {
      const key = write.idempotencyKey;
      const operation = chooseOperation(write, ['create', 'update', 'delete'] as const);
      if (operation instanceof MemctxError) throw operation;
      if (operation === 'create' && write.create) {
        assertSameKey(key, write.create.idempotencyKey);
        return createSessionSpec(store, context, { input: { ...write.create, idempotencyKey: key } }) as MutationSpec<Applied, Kept>;
      }
      if (operation === 'update' && write.update) {
        const { id, baseVersion, input } = write.update;
        assertSameKey(key, input.idempotencyKey);
        return updateSessionSpec(store, context, { id, baseVersion, input: { ...input, idempotencyKey: key } }) as MutationSpec<Applied, Kept>;
      }
      return deleteSessionSpec(store, context, { ...write.delete!, idempotencyKey: key }) as MutationSpec<Applied, Kept>;
    }),
  );
  const results = await runWriteBatch(db, context, batch, maxWrites);
  // Replays and conflicts answer with the session as it is now: one read for all of them, after the commit.
  const toLoad = results.flatMap((r, i) => {
    if (r.status === 'REPLAYED' && typeof r.stored === 'string') return [r.stored];
    if (r.status === 'CONFLICT' && writes[i]?.update) return [writes[i].update.id];
    return [];
  });
  const current = await store.getMany(context.principal, toLoad);
  return results.map((r, i): SessionWriteResult => {
    switch (r.status) {
      case 'APPLIED':
        return { idempotencyKey: r.key, status: r.status, session: 'deleted' in r.result ? null : r.result };
      case 'REPLAYED':
        return { idempotencyKey: r.key, status: r.status, session: typeof r.stored === 'string' ? (current.get(r.stored) ?? null) : null };
      case 'CONFLICT': {
        const session = current.get(writes[i]?.update?.id ?? '') ?? null;
        const reported = r.error.details?.currentVersion;
        return { idempotencyKey: r.key, status: r.status, session, currentVersion: session?.version ?? (typeof reported === 'number' ? reported : null), ...writeError(r.error) };
      }
      case 'REJECTED':
        return { idempotencyKey: r.key, status: r.status, session: null, ...writeError(r.error) };
    }
  });
}

export function writeAudit(action: string, row: SessionRow) {
  return {
    action,
    resourceType: 'session',
    resourceId: row.id,
    submoduleId: row.submoduleId,
    details: { privacyLevel: row.privacyLevel, version: row.version, contentBytes: row.contentBytes, redacted: row.redaction },
  };
}
