import type { Actor, Db } from '@memory-context/db';
import type { EmbeddingProvider } from '@memory-context/embeddings';
import { MemctxError } from '@memory-context/protocol';
import type { DocumentKind, VectorQuery, VectorStore } from '@memory-context/vectors';
import type { DocumentIndex } from './document-index.js';
import { readableNow } from './entity-source.js';
import { reciprocalRankFusion } from './fusion.js';

export type SearchMode = 'HYBRID' | 'SEMANTIC' | 'LEXICAL';

export interface Hit {
  id: string;
  kind: DocumentKind;
  score: number;
  snippet: string;
}

export const MAX_QUERY_LENGTH = 1_000;
export const MAX_LIMIT = 50;
/** How deep each ranking goes before fusion. */
const CANDIDATES = 50;

/** Runs queries over the two halves of the index and fuses them. */
export class SearchEngine {
  constructor(
    private readonly db: Db,
    private readonly documents: DocumentIndex,
    private readonly vectors: VectorStore,
    private readonly embeddings: EmbeddingProvider,
  ) {}

  async search(text: string, filter: VectorQuery, limit: number, mode: SearchMode): Promise<Hit[]> {
    const query = text.trim();
    if (query === '') throw new MemctxError('BAD_USER_INPUT', 'The search query is empty: say what to look for.');
    if (query.length > MAX_QUERY_LENGTH) {
      throw new MemctxError('BAD_USER_INPUT', `The search query is ${query.length} characters long; the limit is ${MAX_QUERY_LENGTH}.`);
    }
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new MemctxError('BAD_USER_INPUT', `\`limit\` must be between 1 and ${MAX_LIMIT}.`);
    // Nothing to search for (only punctuation or symbols): no match, rather than noise.
    if (!/[\p{L}\p{N}]/u.test(query)) return [];
    const depth = Math.max(CANDIDATES, limit);

    const [lexical, semantic] = await Promise.all([
      mode === 'SEMANTIC' ? [] : this.documents.search(query, filter, depth),
      mode === 'LEXICAL' ? [] : this.semantic(query, filter, depth),
    ]);
    const ranked =
      mode === 'HYBRID'
        ? reciprocalRankFusion([lexical, semantic]).map(({ item, score }) => ({ id: item.id, kind: item.kind, score }))
        : (mode === 'LEXICAL' ? lexical : semantic).map(({ id, kind, score }) => ({ id, kind, score }));
    return this.finish(query, filter, ranked, limit);
  }

  /** Which of these entities of one kind the actor may read now (entity references): one query. */
  async readable(actor: Actor, kind: DocumentKind, ids: readonly string[]): Promise<Set<string>> {
    return readableNow(this.db, actor, ids.map((id) => ({ id, kind })));
  }

  /** Nearest neighbours of an entity's own vector (`Session.related`, `Pattern.related`). */
  async related(id: string, filter: VectorQuery, limit: number): Promise<Hit[]> {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new MemctxError('BAD_USER_INPUT', `\`limit\` must be between 1 and ${MAX_LIMIT}.`);
    const vector = await this.vectors.vectorOf(id);
    if (!vector) return [];
    const hits = await this.vectors.search(vector, { ...filter, excludeIds: [id] }, limit + 5);
    return this.finish('', filter, hits, limit);
  }

  private async semantic(query: string, filter: VectorQuery, depth: number) {
    const [vector] = await this.embeddings.embed([query]);
    // Nothing embeddable (only punctuation, say): no semantic neighbours.
    if (!vector || !vector.some((v) => v !== 0)) return [];
    return this.vectors.search(vector, filter, depth);
  }

  /** Keeps what is live and readable at this moment, cuts to `limit`, adds snippets. */
  private async finish(query: string, filter: VectorQuery, ranked: Array<{ id: string; kind: DocumentKind; score: number }>, limit: number): Promise<Hit[]> {
    const head = ranked.slice(0, limit + 10);
    const live = await readableNow(this.db, filter.actor, head);
    const kept = head.filter((h) => live.has(h.id)).slice(0, limit);
    const snippets = await this.documents.snippets(query || ' ', kept.map((h) => h.id));
    return kept.map((h) => ({ ...h, snippet: snippets.get(h.id) ?? '' }));
  }
}
