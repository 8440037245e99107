import DataLoader from 'dataloader';
import { requireScope } from '@memory-context/auth';
import type { Db } from '@memory-context/db';
import { DEFAULT_CHANGE_PAGE } from '@memory-context/protocol';
import { isEntityId, loaderFor, pageSize, parseIds, runMutation, scalarResolvers, selectsField, type RequestContext } from '@memory-context/server-kit';
import { sessionMutations } from '@memory-context/db';
import { parseId, parseInput } from './session-input.js';
import { applySessionWrites, createSessionSpec, deleteSessionSpec, updateSessionSpec } from './session-writes.js';
import type { Resolvers } from './generated/resolvers-types.js';
import type { SessionListRow, SessionStore } from './session-store.js';
import { contentView, redactionView } from './session-view.js';
import { registerSubmoduleSchema } from './submodule-input.js';
import type { SubmoduleRow, SubmoduleStore } from './submodule-store.js';

function sessionLoader(store: SessionStore, context: RequestContext, options = { withContent: true }) {
  const name = options.withContent ? 'session' : 'session-without-content';
  return loaderFor(context, name, () => new DataLoader<string, SessionListRow | undefined>(async (ids) => {
    const rows = await store.getMany(context.principal, ids.filter(isEntityId), options);
    return ids.map((id) => rows.get(id));
  }));
}

function submoduleLoader(submodules: SubmoduleStore, context: RequestContext) {
  return loaderFor(context, 'submodule', () => new DataLoader<string, SubmoduleRow | undefined>(async (ids) => {
    const byId = await submodules.getMany(ids);
    return ids.map((id) => byId.get(id));
  }));
}

export function sessionResolvers(db: Db, store: SessionStore, submodules: SubmoduleStore, options: { maxWriteBatch: number }): Resolvers {
  const read = (context: RequestContext) => requireScope(context.principal, 'memory:read');

  return {
    ...scalarResolvers,
    Query: {
      session: async (_, args, context) => {
        read(context);
        return store.get(context.principal, parseId(args.id));
      },
      sessionsByIds: async (_, args, context, info) => {
        read(context);
        const ids = parseIds(args.ids);
        const rows = await store.getMany(context.principal, [...new Set(ids)], { withContent: selectsField(info, ['content']) });
        return ids.map((id) => rows.get(id) ?? null);
      },
      sessions: async (_, args, context, info) => {
        read(context);
        // `content` is the only Session field that needs the content column.
        const withContent = selectsField(info, ['nodes', 'content']);
        return store.list(context.principal, args.filter ?? {}, pageSize(args.first), args.after ?? null, { withContent });
      },
      submodules: async (_, _args, context) => {
        read(context);
        return submodules.list();
      },
      sessionChanges: async (_, args, context) => {
        read(context);
        const page = await store.changes(context.principal, args.after ?? null, args.limit ?? DEFAULT_CHANGE_PAGE);
        submodules.touchSync(context.principal.submoduleId);
        return page;
      },
    },
    Mutation: {
      createSession: async (_, args, context) => runMutation(db, context, createSessionSpec(store, context, args)),
      updateSession: async (_, args, context) => runMutation(db, context, updateSessionSpec(store, context, args)),
      deleteSession: async (_, args, context) => runMutation(db, context, deleteSessionSpec(store, context, args)),
      applySessionWrites: async (_, args, context) => applySessionWrites(db, store, context, args.writes, options.maxWriteBatch),
      registerSubmodule: async (_, args, context) => {
        const input = parseInput(registerSubmoduleSchema, args.input, 'input');
        return runMutation(db, context, {
          operation: 'registerSubmodule',
          scope: 'memory:admin',
          mutations: sessionMutations,
          idempotencyKey: undefined,
          request: args,
          target: { resourceType: 'submodule', resourceId: input.id },
          perform: async (tx) => {
            const row = await submodules.register(tx, input);
            return { result: row, audit: { action: 'submodule.register', resourceType: 'submodule', resourceId: row.id, submoduleId: row.id } };
          },
          store: (row) => row.id,
          replay: (id) => submodules.get(id),
        });
      },
    },
    Session: {
      __resolveReference: async (ref, context, info) => {
        read(context);
        // A search hit or a pattern's source session rarely asks for the conversation itself.
        const withContent = selectsField(info, ['content']);
        return (await sessionLoader(store, context, { withContent }).load(ref.id)) ?? null;
      },
      submodule: async (row, _, context) =>
        (await submoduleLoader(submodules, context).load(row.submoduleId)) ?? { id: row.submoduleId, name: row.submoduleId, gitUrl: null, lastSyncAt: null, syncStatus: 'ACTIVE', createdAt: row.createdAt },
      content: (row, _, context) => {
        const content = contentView(row);
        context.audit.append({
          actor: context.principal.submoduleId,
          action: 'session.read_content',
          resourceType: 'session',
          resourceId: row.id,
          submoduleId: row.submoduleId,
          requestId: context.requestId,
          outcome: 'SUCCESS',
        });
        return content;
      },
      redaction: (row) => redactionView(row.redaction),
    },
    Submodule: {
      __resolveReference: async (ref, context) => (await submoduleLoader(submodules, context).load(ref.id)) ?? null,
    },
  };
}
