import { CONCEPTS, type Concept } from '@memory-context/embeddings';

/**
 * Words that phrase a request to the memory itself ("show me all sessions
 * about …", "find patterns related to …", "what have we learned about …")
 * rather than say what it is about. Left in, they match every session that
 * mentions a session, every pattern whose body says "fix", and pull the query's
 * vector towards talk about talk. The kind a question names belongs in
 * `filter.kinds`.
 */
const REQUEST_WORDS = new Set([
  'show', 'me', 'all', 'find', 'list', 'give', 'get', 'tell', 'related', 'relating', 'regarding', 'about', 'anything',
  'everything', 'something', 'learned', 'learnt', 'know', 'knew', 'decide', 'decided', 'what', 'which', 'where', 'when',
  'how', 'who', 'why', 'did', 'do', 'does', 'we', 'our', 'us', 'have', 'has', 'had', 'is', 'are', 'was', 'were', 'any',
  'the', 'a', 'an', 'of', 'to', 'in', 'on', 'for', 'from', 'with', 'and', 'or', 'there', 'before', 'ever', 'previous',
  'past', 'earlier', 'session', 'sessions', 'pattern', 'patterns', 'checkpoint', 'checkpoints',
  'please', 'can', 'you', 'i', 'my', 'it',
]);

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’_-]*/gu;

/**
 * The part of a question that says what it is about: its words without the
 * request phrasing. A question made only of such words stays as it is.
 */
export function topicOf(question: string): string {
  const words = question.match(WORD) ?? [];
  const kept = words.filter((w) => !REQUEST_WORDS.has(w.toLowerCase()));
  // Websearch syntax (quotes, `-word`, `or`) keeps its meaning only as written.
  if (kept.length === 0 || /"|(?:^|\s)-[\p{L}\p{N}]|(?:^|\s)or(?:\s|$)/iu.test(question)) return question.trim();
  return kept.join(' ');
}

const TOKEN = /[\p{L}\p{N}]+/gu;

/** Concept terms keyed by each single word that names a concept: `login` → the other words of "authentication". */
function expansionTable(concepts: readonly Concept[]): Map<string, Set<string>> {
  const table = new Map<string, Set<string>>();
  for (const concept of concepts) {
    const words = concept.terms.filter((t) => /^[\p{L}\p{N}]+$/u.test(t)).map((t) => t.toLowerCase());
    for (const term of concept.terms) {
      const tokens = term.toLowerCase().match(TOKEN) ?? [];
      if (tokens.length !== 1) continue;
      const set = table.get(tokens[0]!) ?? new Set<string>();
      for (const w of words) if (w !== tokens[0]) set.add(w);
      table.set(tokens[0]!, set);
    }
  }
  return table;
}

let shipped: Map<string, Set<string>> | undefined;

/**
 * Words of the same concepts as the topic's words (the local embeddings'
 * concept table): "login" also looks for "sso", "oauth", "authentication"…
 * They count for less than the question's own words (see ranking.ts).
 */
export function expansionWords(topic: string, concepts: readonly Concept[] = CONCEPTS): string[] {
  const table = concepts === CONCEPTS ? (shipped ??= expansionTable(CONCEPTS)) : expansionTable(concepts);
  const own = new Set((topic.toLowerCase().match(TOKEN) ?? []));
  const out = new Set<string>();
  for (const word of own) for (const w of table.get(word) ?? []) if (!own.has(w)) out.add(w);
  return [...out];
}
