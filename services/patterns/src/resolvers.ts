import DataLoader from 'dataloader';
import { requireScope } from '@memory-context/auth';
import { readableSessionIds, type Db } from '@memory-context/db';
import { DEFAULT_CHANGE_PAGE } from '@memory-context/protocol';
import { isEntityId, loaderFor, pageSize, parseId, parseIds, parseInput, readableReference, runMutation, scalarResolvers, type RequestContext } from '@memory-context/server-kit';
import { patternFilterSchema } from './pattern-input.js';
import { applyPatternWrites, deletePatternSpec, recordPatternSpec, usePatternSpec } from './pattern-writes.js';
import type { Resolvers } from './generated/resolvers-types.js';
import type { PatternRow, PatternStore } from './pattern-store.js';

function patternLoader(store: PatternStore, context: RequestContext) {
  return loaderFor(context, 'pattern', () => new DataLoader<string, PatternRow | undefined>(async (ids) => {
    const rows = await store.getMany(context.principal, ids.filter(isEntityId));
    return ids.map((id) => rows.get(id));
  }));
}

function sourcesLoader(store: PatternStore, context: RequestContext) {
  return loaderFor(context, 'pattern-sources', () => new DataLoader<string, string[]>(async (ids) => {
    const sources = await store.sourcesOf(context.principal, ids);
    return ids.map((id) => sources.get(id) ?? []);
  }));
}

function sessionPatternsLoader(store: PatternStore, context: RequestContext) {
  return loaderFor(context, 'session-patterns', () => new DataLoader<string, PatternRow[]>(async (ids) => {
    const bySession = await store.patternsOfSessions(context.principal, ids);
    return ids.map((id) => bySession.get(id) ?? []);
  }));
}

export function patternResolvers(db: Db, store: PatternStore, options: { maxWriteBatch: number }): Resolvers {
  const read = (context: RequestContext) => requireScope(context.principal, 'memory:read');

  return {
    ...scalarResolvers,
    Query: {
      pattern: async (_, args, context) => {
        read(context);
        return store.get(context.principal, parseId(args.id));
      },
      patternsByIds: async (_, args, context) => {
        read(context);
        const ids = parseIds(args.ids);
        const rows = await store.getMany(context.principal, [...new Set(ids)]);
        return ids.map((id) => rows.get(id) ?? null);
      },
      patterns: async (_, args, context) => {
        read(context);
        const filter = parseInput(patternFilterSchema, args.filter ?? {}, 'filter');
        return store.list(context.principal, filter, args.orderBy ?? 'RECENT', pageSize(args.first), args.after ?? null);
      },
      patternChanges: async (_, args, context) => {
        read(context);
        return store.changes(context.principal, args.after ?? null, args.limit ?? DEFAULT_CHANGE_PAGE);
      },
    },
    Mutation: {
      recordPattern: async (_, args, context) =>
        runMutation(db, context, recordPatternSpec(store, context, args)).then(({ row, outcome }) => ({ pattern: row, outcome })),
      usePattern: async (_, args, context) => runMutation(db, context, usePatternSpec(store, context, args)),
      deletePattern: async (_, args, context) => runMutation(db, context, deletePatternSpec(store, context, args)),
      applyPatternWrites: async (_, args, context) => applyPatternWrites(db, store, context, args.writes, options.maxWriteBatch),
    },
    Pattern: {
      __resolveReference: async (ref, context) => {
        read(context);
        return (await patternLoader(store, context).load(ref.id)) ?? null;
      },
      body: (row, _, context) => {
        context.audit.append({
          actor: context.principal.submoduleId,
          action: 'pattern.read_content',
          resourceType: 'pattern',
          resourceId: row.id,
          submoduleId: row.submoduleId,
          requestId: context.requestId,
          outcome: 'SUCCESS',
        });
        return row.body;
      },
      sourceSessions: async (row, _, context) =>
        (await sourcesLoader(store, context).load(row.id)).map((id) => ({ __typename: 'Session', id })),
    },
    Session: {
      // A session the caller may not read resolves to null: its patterns are not listed.
      __resolveReference: async (ref, context) => {
        read(context);
        return readableReference(context, 'Session', (ids) => readableSessionIds(db, context.principal, ids), ref);
      },
      patterns: async (ref, _, context) => {
        read(context);
        return sessionPatternsLoader(store, context).load(ref.id);
      },
    },
  };
}
