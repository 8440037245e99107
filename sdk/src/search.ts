import type { ClientContext } from './client-context.js';
import type { AnyEntity, Checkpoint, EntityKind } from './entities.js';
import { isUnreachable, toSdkError } from './errors.js';
import { SearchDocument, type PrivacyLevel, type SearchKind, type SearchMode, type SearchQuery } from './generated/graphql.js';

export interface SearchOptions {
  kinds?: readonly EntityKind[];
  submodules?: readonly string[];
  privacyLevels?: readonly PrivacyLevel[];
  /** Entities carrying all of these tags. */
  tags?: readonly string[];
  /** Most hits returned (default 10, as the gateway). */
  limit?: number;
  /** How the gateway ranks (default HYBRID); the cache always ranks by BM25. */
  mode?: SearchMode;
  /** `network-first` (default): the gateway, else the cache; `cache-only`; `network-only`. */
  fetchPolicy?: 'network-first' | 'cache-only' | 'network-only';
}

export interface SearchHit {
  kind: EntityKind;
  id: string;
  /** Higher is better. Cache scores are negated BM25 ranks: comparable within one result only. */
  score: number;
  /** The best matching passage, matched words between `**` (as the gateway marks them). */
  snippet: string;
  /** Why the gateway ranked it there (absent for hits from the cache). */
  explanation?: SearchExplanation;
  entity: AnyEntity;
}

/** The signals behind a gateway hit's place: words matched, similarity, ranks before combining. */
export interface SearchExplanation {
  rank: number;
  /** Question words (stemmed, rarest first) found in the entity. */
  matchedTerms: string[];
  /** Words of the same concepts as the question's found in it. */
  expandedTerms: string[];
  /** Field-weighted BM25 over the question's words, about 0–1. */
  lexicalScore: number;
  /** Cosine similarity of the question's and the entity's embeddings (null in LEXICAL mode). */
  similarity: number | null;
  /** Place in the full-text ranking before combining (null: full text did not find it). */
  lexicalRank: number | null;
  /** Place in the vector ranking before combining (null: not among the nearest neighbours). */
  semanticRank: number | null;
}

export interface SearchResult {
  hits: SearchHit[];
  source: 'network' | 'cache';
  /** True when the cache answered because the gateway could not be reached (it holds only what was pulled, read or written here). */
  stale: boolean;
}

const KIND_OF: Record<SearchKind, EntityKind> = { SESSION: 'session', PATTERN: 'pattern', CHECKPOINT: 'checkpoint' };
const SEARCH_KIND: Record<EntityKind, SearchKind> = { session: 'SESSION', pattern: 'PATTERN', checkpoint: 'CHECKPOINT' };

type SearchEntity = SearchQuery['search']['hits'][number]['entity'];

/** A hit's entity as the SDK's types have it (a checkpoint's content is selected as `markdown`). */
function entityOf(kind: EntityKind, entity: SearchEntity): AnyEntity {
  if (kind !== 'checkpoint' || !('markdown' in entity)) return entity as AnyEntity;
  const { markdown, ...rest } = entity;
  return { ...rest, content: markdown } satisfies Checkpoint;
}

/** `client.search`: the gateway's hybrid search, or FTS5 over the cache when the gateway cannot be reached. */
export async function search(core: ClientContext, text: string, options: SearchOptions = {}): Promise<SearchResult> {
  const policy = options.fetchPolicy ?? 'network-first';
  const fromCache = (stale: boolean): SearchResult => ({ hits: core.store.search(text, options), source: 'cache', stale });
  if (policy === 'cache-only') return fromCache(false);
  let data: SearchQuery;
  try {
    data = await core.remote.request(SearchDocument, {
      query: text,
      filter: {
        kinds: options.kinds?.map((k) => SEARCH_KIND[k]) ?? null,
        submodules: options.submodules ? [...options.submodules] : null,
        privacyLevels: options.privacyLevels ? [...options.privacyLevels] : null,
        tags: options.tags ? [...options.tags] : null,
      },
      limit: options.limit ?? null,
      mode: options.mode ?? null,
    });
  } catch (err) {
    const error = toSdkError(err);
    if (policy === 'network-first' && isUnreachable(error)) return fromCache(true);
    throw error;
  }
  const hits = data.search.hits.map((hit) => {
    const kind = KIND_OF[hit.kind];
    const entity = entityOf(kind, hit.entity);
    core.store.applyServerCopy(kind, entity);
    const { rank, matchedTerms, expandedTerms, lexicalScore, similarity, lexicalRank, semanticRank } = hit.explanation;
    const explanation: SearchExplanation = {
      rank,
      matchedTerms,
      expandedTerms,
      lexicalScore,
      similarity: similarity ?? null,
      lexicalRank: lexicalRank ?? null,
      semanticRank: semanticRank ?? null,
    };
    return { kind, id: entity.id, score: hit.score, snippet: hit.snippet, explanation, entity };
  });
  return { hits, source: 'network', stale: false };
}
