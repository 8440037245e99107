import DataLoader from 'dataloader';
import { requireScope } from '@memory-context/auth';
import { readableSessionIds, touchSubmoduleSync, type Db } from '@memory-context/db';
import { DEFAULT_CHANGE_PAGE } from '@memory-context/protocol';
import { isEntityId, loaderFor, pageSize, parseId, parseIds, parseInput, readableReference, runMutation, scalarResolvers, type RequestContext } from '@memory-context/server-kit';
import { applyCheckpointWrites, createCheckpointSpec, deleteCheckpointSpec } from './checkpoint-writes.js';
import type { CheckpointRow, CheckpointStore } from './checkpoint-store.js';
import type { Resolvers } from './generated/resolvers-types.js';

/** Checkpoints by id, for entity references (search hits): one query per request. */
function checkpointLoader(store: CheckpointStore, context: RequestContext) {
  return loaderFor(context, 'checkpoint', () => new DataLoader<string, CheckpointRow | undefined>(async (ids) => {
    const rows = await store.getMany(context.principal, ids.filter(isEntityId));
    return ids.map((id) => rows.get(id));
  }));
}

/** Checkpoint.sessions for every checkpoint of the request in one query. */
function linkedSessionsLoader(store: CheckpointStore, context: RequestContext) {
  return loaderFor(context, 'checkpoint.sessions', () => new DataLoader<string, string[]>(async (checkpointIds) => {
    const byCheckpoint = await store.sessionIdsFor(context.principal, checkpointIds);
    return checkpointIds.map((id) => byCheckpoint.get(id) ?? []);
  }));
}

/** Session.checkpoints for every session of the request in one query. */
function sessionCheckpointsLoader(store: CheckpointStore, context: RequestContext) {
  return loaderFor(context, 'session.checkpoints', () => new DataLoader<string, CheckpointRow[]>(async (sessionIds) => {
    const bySession = await store.checkpointsFor(context.principal, sessionIds);
    return sessionIds.map((id) => bySession.get(id) ?? []);
  }));
}

export function checkpointResolvers(db: Db, store: CheckpointStore, options: { maxWriteBatch: number }): Resolvers {
  const read = (context: RequestContext) => requireScope(context.principal, 'memory:read');

  return {
    ...scalarResolvers,
    Query: {
      checkpoint: async (_, args, context) => {
        read(context);
        return store.get(context.principal, parseId(args.id));
      },
      checkpointsByIds: async (_, args, context) => {
        read(context);
        const ids = parseIds(args.ids);
        const rows = await store.getMany(context.principal, [...new Set(ids)]);
        return ids.map((id) => rows.get(id) ?? null);
      },
      checkpoints: async (_, args, context) => {
        read(context);
        return store.list(context.principal, args.filter ?? {}, pageSize(args.first), args.after ?? null);
      },
      checkpointChanges: async (_, args, context) => {
        read(context);
        const page = await store.changes(context.principal, args.after ?? null, args.limit ?? DEFAULT_CHANGE_PAGE);
        void touchSubmoduleSync(db, context.principal.submoduleId).catch(() => {});
        return page;
      },
    },
    Mutation: {
      createCheckpoint: async (_, args, context) => runMutation(db, context, createCheckpointSpec(store, context, args)),
      deleteCheckpoint: async (_, args, context) => runMutation(db, context, deleteCheckpointSpec(store, context, args)),
      applyCheckpointWrites: async (_, args, context) => applyCheckpointWrites(db, store, context, args.writes, options.maxWriteBatch),
    },
    Checkpoint: {
      __resolveReference: async (ref, context) => {
        read(context);
        return (await checkpointLoader(store, context).load(ref.id)) ?? null;
      },
      content: (row, _, context) => {
        context.audit.append({
          actor: context.principal.submoduleId,
          action: 'checkpoint.read_content',
          resourceType: 'checkpoint',
          resourceId: row.id,
          submoduleId: row.submoduleId,
          requestId: context.requestId,
          outcome: 'SUCCESS',
        });
        return row.content;
      },
      sessions: async (row, _, context) => {
        const ids = await linkedSessionsLoader(store, context).load(row.id);
        return ids.map((id) => ({ __typename: 'Session', id }));
      },
    },
    Session: {
      // A session the caller may not read resolves to null (checkpoints() checks it again in its query).
      __resolveReference: async (ref, context) => {
        read(context);
        return readableReference(context, 'Session', (ids) => readableSessionIds(db, context.principal, ids), ref);
      },
      checkpoints: async (ref, _, context) => {
        read(context);
        return sessionCheckpointsLoader(store, context).load(ref.id);
      },
    },
  };
}
