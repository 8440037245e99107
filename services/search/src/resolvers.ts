import { z } from 'zod';
import { requireScope } from '@memory-context/auth';
import { parseInput, readableReference, scalarResolvers, type RequestContext } from '@memory-context/server-kit';
import type { VectorQuery } from '@memory-context/vectors';
import type { Indexer } from './indexer.js';
import type { DocumentIndex } from './document-index.js';
import type { Resolvers, SearchFilter, SessionRelatedArgs } from './generated/resolvers-types.js';
import type { SearchEngine, Hit } from './search-engine.js';

const filterSchema = z.object({
  kinds: z.array(z.enum(['SESSION', 'PATTERN', 'CHECKPOINT'])).nullish(),
  submodules: z.array(z.string()).nullish(),
  privacyLevels: z.array(z.string()).nullish(),
  tags: z.array(z.string()).nullish(),
  from: z.coerce.date().nullish(),
  to: z.coerce.date().nullish(),
});

const TYPENAMES = { SESSION: 'Session', PATTERN: 'Pattern', CHECKPOINT: 'Checkpoint' } as const;

function toQuery(context: RequestContext, raw: SearchFilter | null | undefined): VectorQuery {
  const filter = parseInput(filterSchema, raw ?? {}, 'filter');
  return {
    actor: context.principal,
    kinds: filter.kinds ?? undefined,
    submodules: filter.submodules ?? undefined,
    privacyLevels: filter.privacyLevels?.filter((l) => l !== 'EPHEMERAL') ?? undefined,
    tags: filter.tags ?? undefined,
    from: filter.from ?? undefined,
    to: filter.to ?? undefined,
  };
}

function hitView(hit: Hit) {
  const e = hit.explanation;
  const explanation = { ...e, similarity: e.similarity ?? null, lexicalRank: e.lexicalRank ?? null, semanticRank: e.semanticRank ?? null };
  return { score: hit.score, kind: hit.kind, snippet: hit.snippet, explanation, entity: { __typename: TYPENAMES[hit.kind], id: hit.id } };
}

export function searchResolvers(engine: SearchEngine, indexer: Indexer, documents: DocumentIndex, info: { model: string; dimensions: number; vectorStore: string; vectors: () => Promise<number> }): Resolvers {
  // Session.related and Pattern.related of an entity the caller may not read: the reference is null.
  const reference = (kind: 'SESSION' | 'PATTERN') => async <R extends { id: string }>(ref: R, context: RequestContext) => {
    requireScope(context.principal, 'memory:read');
    return readableReference(context, TYPENAMES[kind], (ids) => engine.readable(context.principal, kind, ids), ref);
  };
  // One resolver for Session.related and Pattern.related: both take `limit` and only read the key.
  const related = async (ref: { id: string }, args: SessionRelatedArgs, context: RequestContext) => {
    requireScope(context.principal, 'memory:read');
    return (await engine.related(ref.id, { actor: context.principal }, args.limit ?? 5)).map(hitView);
  };
  return {
    ...scalarResolvers,
    SearchEntity: {
      __resolveType: (entity) => entity.__typename,
    },
    Query: {
      search: async (_, args, context) => {
        requireScope(context.principal, 'memory:read');
        const mode = args.mode ?? 'HYBRID';
        const hits = await engine.search(args.query, toQuery(context, args.filter), args.limit ?? 10, mode);
        context.audit.append({
          actor: context.principal.submoduleId,
          action: 'search.query',
          resourceType: 'search',
          requestId: context.requestId,
          outcome: 'SUCCESS',
          details: { mode, hits: hits.length },
        });
        return { mode, hits: hits.map(hitView) };
      },
      indexStatus: async (_, _args, context) => {
        requireScope(context.principal, 'memory:read');
        return {
          documents: await documents.count(),
          vectors: await info.vectors(),
          model: info.model,
          dimensions: info.dimensions,
          vectorStore: info.vectorStore,
          feeds: await indexer.lag(),
        };
      },
    },
    Session: { __resolveReference: reference('SESSION'), related },
    Pattern: { __resolveReference: reference('PATTERN'), related },
  };
}
