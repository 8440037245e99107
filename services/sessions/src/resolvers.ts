import DataLoader from 'dataloader';
import { asc, eq } from 'drizzle-orm';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { GraphQLResolveInfo } from 'graphql';
import { requireScope } from '@memory-context/auth';
import { submodules, touchSubmoduleSync, type Db } from '@memory-context/db';
import { DEFAULT_CHANGE_PAGE, MemctxError } from '@memory-context/protocol';
import { isEntityId, loaderFor, pageSize, runMutation, scalarResolvers, selectsField, type RequestContext, deleteMutation } from '@memory-context/server-kit';
import { sessionMutations } from '@memory-context/db';
import { createSessionSchema, parseId, parseInput, updateSessionSchema } from './session-input.js';
import type { SessionFilter, SessionListRow, SessionRow, SessionStore } from './session-store.js';
import { contentView, redactionView } from './session-view.js';
import { registerSubmoduleSchema } from './submodule-input.js';

type Args = Record<string, unknown>;

function sessionLoader(store: SessionStore, context: RequestContext, options = { withContent: true }) {
  const name = options.withContent ? 'session' : 'session-without-content';
  return loaderFor(context, name, () => new DataLoader<string, SessionListRow | undefined>(async (ids) => {
    const rows = await store.getMany(context.principal, ids.filter(isEntityId), options);
    return ids.map((id) => rows.get(id));
  }));
}

function submoduleLoader(db: Db, context: RequestContext) {
  return loaderFor(context, 'submodule', () => new DataLoader<string, typeof submodules.$inferSelect | undefined>(async (ids) => {
    const rows = await db.select().from(submodules);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id));
  }));
}

export function sessionResolvers(db: Db, store: SessionStore): GraphQLResolverMap<RequestContext> {
  const read = (context: RequestContext) => requireScope(context.principal, 'memory:read');

  return {
    ...scalarResolvers,
    Query: {
      session: async (_: unknown, args: Args, context: RequestContext) => {
        read(context);
        return store.get(context.principal, parseId(args.id as string));
      },
      sessions: async (_: unknown, args: Args, context: RequestContext, info: GraphQLResolveInfo) => {
        read(context);
        // `content` is the only Session field that needs the content column.
        const withContent = selectsField(info, ['nodes', 'content']);
        return store.list(context.principal, (args.filter ?? {}) as SessionFilter, pageSize(args.first as number | null), args.after as string | null, { withContent });
      },
      submodules: async (_: unknown, _args: Args, context: RequestContext) => {
        read(context);
        return db.select().from(submodules).orderBy(asc(submodules.id));
      },
      sessionChanges: async (_: unknown, args: Args, context: RequestContext) => {
        read(context);
        const page = await store.changes(context.principal, args.after as string | null, (args.limit as number | null) ?? DEFAULT_CHANGE_PAGE);
        void touchSubmoduleSync(db, context.principal.submoduleId).catch(() => {});
        return page;
      },
    },
    Mutation: {
      createSession: async (_: unknown, args: Args, context: RequestContext) => {
        const input = parseInput(createSessionSchema, args.input, 'input');
        return runMutation(db, context, {
          operation: 'createSession',
          mutations: sessionMutations,
          idempotencyKey: input.idempotencyKey,
          request: args,
          target: { resourceType: 'session', resourceId: input.id ?? null },
          perform: async (tx) => {
            const row = await store.create(tx, context.principal, input);
            return { result: row, audit: writeAudit('session.create', row) };
          },
          store: (row) => row.id,
          replay: (id) => store.get(context.principal, id),
        });
      },
      updateSession: async (_: unknown, args: Args, context: RequestContext) => {
        const id = parseId(args.id as string);
        const input = parseInput(updateSessionSchema, args.input, 'input');
        return runMutation(db, context, {
          operation: 'updateSession',
          mutations: sessionMutations,
          idempotencyKey: input.idempotencyKey,
          request: args,
          target: { resourceType: 'session', resourceId: id },
          perform: async (tx) => {
            const row = await store.update(tx, context.principal, id, args.baseVersion as number, input);
            const audit = writeAudit('session.update', row);
            return { result: row, audit: { ...audit, details: { ...audit.details, fields: Object.keys(input).filter((k) => k !== 'idempotencyKey') } } };
          },
          store: (row) => row.id,
          replay: (rowId) => store.get(context.principal, rowId),
        });
      },
      deleteSession: async (_: unknown, args: Args, context: RequestContext) =>
        deleteMutation(db, context, args, {
          operation: 'deleteSession',
          resourceType: 'session',
          mutations: sessionMutations,
          remove: (tx, id, gdpr, reason) => store.delete(tx, context.principal, id, gdpr, reason),
        }),
      registerSubmodule: async (_: unknown, args: Args, context: RequestContext) => {
        const input = parseInput(registerSubmoduleSchema, args.input, 'input');
        return runMutation(db, context, {
          operation: 'registerSubmodule',
          scope: 'memory:admin',
          mutations: sessionMutations,
          idempotencyKey: undefined,
          request: args,
          target: { resourceType: 'submodule', resourceId: input.id },
          perform: async (tx) => {
            const values = { name: input.name, gitUrl: input.gitUrl ?? null, ...(input.syncStatus ? { syncStatus: input.syncStatus } : {}) };
            const [row] = await tx.insert(submodules).values({ id: input.id, ...values }).onConflictDoUpdate({ target: submodules.id, set: values }).returning();
            if (!row) throw new MemctxError('INTERNAL', 'Submodule was not written.');
            return { result: row, audit: { action: 'submodule.register', resourceType: 'submodule', resourceId: row.id, submoduleId: row.id } };
          },
          store: (row) => row.id,
          replay: async (id) => {
            const [row] = await db.select().from(submodules).where(eq(submodules.id, id));
            if (!row) throw new MemctxError('NOT_FOUND', `Submodule ${id} not found.`);
            return row;
          },
        });
      },
    },
    Session: {
      // Apollo calls it as (reference, context, info); the resolver map types it as a field resolver.
      __resolveReference: async (ref: { id: string }, context: RequestContext, info: unknown) => {
        read(context);
        // A search hit or a pattern's source session rarely asks for the conversation itself.
        const withContent = selectsField(info as GraphQLResolveInfo, ['content']);
        return (await sessionLoader(store, context, { withContent }).load(ref.id)) ?? null;
      },
      submodule: async (row: SessionListRow, _: Args, context: RequestContext) =>
        (await submoduleLoader(db, context).load(row.submoduleId)) ?? { id: row.submoduleId, name: row.submoduleId, syncStatus: 'ACTIVE', createdAt: row.createdAt },
      content: (row: SessionListRow, _: Args, context: RequestContext) => {
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
      redaction: (row: SessionListRow) => redactionView(row.redaction),
    },
    Submodule: {
      __resolveReference: async (ref: { id: string }, context: RequestContext) => (await submoduleLoader(db, context).load(ref.id)) ?? null,
    },
  };
}

function writeAudit(action: string, row: SessionRow) {
  return {
    action,
    resourceType: 'session',
    resourceId: row.id,
    submoduleId: row.submoduleId,
    details: { privacyLevel: row.privacyLevel, version: row.version, contentBytes: row.contentBytes, redacted: row.redaction },
  };
}
