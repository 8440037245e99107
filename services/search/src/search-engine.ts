import type { Actor, Db } from '@memory-context/db';
import { cosine, type EmbeddingProvider } from '@memory-context/embeddings';
import { MemctxError } from '@memory-context/protocol';
import type { DocumentKind, VectorQuery, VectorStore } from '@memory-context/vectors';
import type { DocumentIndex } from './document-index.js';
import { readableNow } from './entity-source.js';
import { expansionWords, topicOf } from './query-text.js';
import { idf, RANKING, rankCandidates, type Candidate, type Explanation, type QueryTerm, type RankingWeights } from './ranking.js';
import { frequenciesOf, lexemesOf, termsOf } from './term-signals.js';

export type SearchMode = 'HYBRID' | 'SEMANTIC' | 'LEXICAL';

export interface Hit {
  id: string;
  kind: DocumentKind;
  score: number;
  snippet: string;
  explanation: Explanation;
}

/** What both rankings found for a question, before they are combined. */
export interface Candidates {
  candidates: Candidate[];
  terms: QueryTerm[];
  /** The words the snippets mark: the question's topic. */
  topic: string;
  /** The question's vector (undefined: LEXICAL, or nothing to embed). */
  vector: Float32Array | undefined;
}

/** The ranking of each mode: HYBRID combines everything; the others keep to their own signal. */
const MODE_WEIGHTS: Record<SearchMode, RankingWeights> = {
  HYBRID: RANKING,
  LEXICAL: { ...RANKING, similarity: 0, fusion: 0, lexical: 1, minLexical: 0, minSimilarity: 0 },
  SEMANTIC: { ...RANKING, similarity: 1, lexical: 0, fusion: 0, shortPenalty: 0, prior: { SESSION: 0, PATTERN: 0, CHECKPOINT: 0 }, minLexical: 0, minSimilarity: -Infinity },
};

export const MAX_QUERY_LENGTH = 1_000;
export const MAX_LIMIT = 50;
/** How deep each ranking goes before the candidates are ranked together. */
const CANDIDATES = 50;

/** Runs queries over the two halves of the index and ranks their candidates together. */
export class SearchEngine {
  constructor(
    private readonly db: Db,
    private readonly documents: DocumentIndex,
    private readonly vectors: VectorStore,
    private readonly embeddings: EmbeddingProvider,
    /** The ranking's weights per mode (the tuning script tries others). */
    private readonly weights: Record<SearchMode, RankingWeights> = MODE_WEIGHTS,
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
    const found = await this.candidates(query, filter, depth, mode);
    const ranked = rankCandidates(found.candidates, found.terms, this.weights[mode], found.vector);
    return this.finish(found.topic, filter, ranked, limit);
  }

  /**
   * Both rankings' candidates with every signal the combined ranking uses:
   * full-text rank, vector rank and cosine similarity, and where the
   * question's words (and their concept-table expansions) occur.
   */
  async candidates(question: string, filter: VectorQuery, depth: number, mode: SearchMode = 'HYBRID', options: { requestWords?: 'drop' | 'keep' } = {}): Promise<Candidates> {
    const topic = options.requestWords === 'keep' ? question : topicOf(question);
    const [lexical, semantic] = await Promise.all([
      mode === 'SEMANTIC' ? [] : this.documents.search(topic, filter, depth),
      mode === 'LEXICAL' ? { vector: undefined, hits: [] } : this.semantic(topic, filter, depth),
    ]);
    return this.gather(topic, filter, lexical, semantic);
  }

  private async gather(
    topic: string,
    filter: VectorQuery,
    lexical: ReadonlyArray<{ id: string; kind: DocumentKind }>,
    semantic: { vector: Float32Array | undefined; hits: ReadonlyArray<{ id: string; kind: DocumentKind; score: number }> },
  ): Promise<Candidates> {
    const byId = new Map<string, Candidate>();
    const candidateOf = (id: string, kind: DocumentKind) => {
      let c = byId.get(id);
      if (!c) byId.set(id, (c = { id, kind, length: 0, terms: new Map() }));
      return c;
    };
    lexical.forEach((h, i) => (candidateOf(h.id, h.kind).lexicalRank = i + 1));
    semantic.hits.forEach((h, i) => {
      const c = candidateOf(h.id, h.kind);
      c.semanticRank = i + 1;
      c.similarity = h.score;
    });
    const ids = [...byId.keys()];
    const [ownLexemes = [], expansionLexemes = []] = await lexemesOf(this.db, [topic, expansionWords(topic).join(' ')]);
    const expansions = expansionLexemes.filter((l) => !ownLexemes.includes(l));
    const all = [...ownLexemes, ...expansions];
    const missing = semantic.vector ? ids : [];
    const [terms, frequencies, vectors] = await Promise.all([
      termsOf(this.db, ids, all),
      frequenciesOf(this.db, this.documents.stats, all, filter),
      missing.length > 0 ? this.vectors.vectorsOf(missing) : new Map<string, Float32Array>(),
    ]);
    for (const c of byId.values()) {
      const t = terms.get(c.id);
      if (t) Object.assign(c, { length: t.length, terms: t.terms });
      const v = vectors.get(c.id);
      if (v && semantic.vector) {
        c.vector = v;
        c.similarity ??= cosine(semantic.vector, v);
      }
    }
    const queryTerms: QueryTerm[] = all.map((lexeme) => ({
      lexeme,
      idf: idf(frequencies.documents, frequencies.df.get(lexeme) ?? 0),
      own: ownLexemes.includes(lexeme),
    }));
    return { candidates: [...byId.values()], terms: queryTerms, topic, vector: semantic.vector };
  }

  /** Which of these entities of one kind the actor may read now (entity references): one query. */
  async readable(actor: Actor, kind: DocumentKind, ids: readonly string[]): Promise<Set<string>> {
    return readableNow(this.db, actor, ids.map((id) => ({ id, kind })));
  }

  /**
   * Memory related to an entity (`Session.related`, `Pattern.related`): the
   * same combined ranking, asked with the entity's own title and tags and its
   * own vector. Both candidate queries apply the actor's access rules.
   */
  async related(id: string, filter: VectorQuery, limit: number): Promise<Hit[]> {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new MemctxError('BAD_USER_INPUT', `\`limit\` must be between 1 and ${MAX_LIMIT}.`);
    const [vector, topic] = await Promise.all([this.vectors.vectorOf(id), this.documents.titleOf(id)]);
    if (!vector && topic === undefined) return [];
    const scope = { ...filter, excludeIds: [id] };
    const depth = Math.max(CANDIDATES, limit);
    const [lexical, hits] = await Promise.all([
      topic && /[\p{L}\p{N}]/u.test(topic) ? this.documents.search(topic, scope, depth) : [],
      vector ? this.vectors.search(vector, scope, depth) : [],
    ]);
    const found = await this.gather(topic ?? '', scope, lexical, { vector, hits });
    const ranked = rankCandidates(found.candidates, found.terms, { ...this.weights.HYBRID, minLexical: 0, minSimilarity: 0 }, found.vector);
    return this.finish(found.topic, filter, ranked, limit);
  }

  private async semantic(query: string, filter: VectorQuery, depth: number) {
    const [vector] = await this.embeddings.embed([query]);
    // Nothing embeddable (only punctuation, say): no semantic neighbours.
    if (!vector || !vector.some((v) => v !== 0)) return { vector: undefined, hits: [] };
    return { vector, hits: await this.vectors.search(vector, filter, depth) };
  }

  /** Keeps what is live and readable at this moment, cuts to `limit`, adds snippets. */
  private async finish(query: string, filter: VectorQuery, ranked: ReadonlyArray<{ id: string; kind: DocumentKind; score: number; explanation: Explanation }>, limit: number): Promise<Hit[]> {
    const head = ranked.slice(0, limit + 10);
    const live = await readableNow(this.db, filter.actor, head);
    // Ranks in explanations count what the reader is shown.
    const kept = head.filter((h) => live.has(h.id)).slice(0, limit).map((h, i) => ({ ...h, explanation: { ...h.explanation, rank: i + 1 } }));
    const snippets = await this.documents.snippets(query || ' ', kept.map((h) => h.id));
    return kept.map((h) => ({ ...h, snippet: snippets.get(h.id) ?? '' }));
  }
}
