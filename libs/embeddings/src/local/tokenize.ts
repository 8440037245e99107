/**
 * Tokenizer of the local provider. Lowercases, splits identifiers on
 * camelCase, PascalCase, snake_case, kebab-case, dots and slashes, keeps
 * letters and digits that touch (`k8s`, `oauth2`, `utf8`, `p95`) together.
 *
 * The derivation script and the concept table use the same function, so a
 * member such as `sign-in` or `ci/cd` becomes the phrase `sign in` / `ci cd`.
 */

/** Runs of letters or digits; everything else separates tokens. */
const WORD = /[\p{L}\p{N}]+/gu;
const LOWER_UPPER = /([\p{Ll}\p{N}])(\p{Lu})/gu;
const UPPER_UPPER_LOWER = /(\p{Lu})(\p{Lu}\p{Ll})/gu;

export interface Token {
  /** Lowercased token. */
  text: string;
  /**
   * For the parts of a compound identifier (`getUserById`), the whole
   * identifier lowercased (`getuserbyid`) on the first part only, so an
   * unknown identifier still matches itself.
   */
  compound?: string;
}

/** Splits `text` into lowercase tokens. `limit` caps the number of tokens read. */
export function tokenize(text: string, limit = Number.POSITIVE_INFINITY): Token[] {
  const out: Token[] = [];
  for (const match of text.matchAll(WORD)) {
    const raw = match[0];
    const spaced = raw.replace(UPPER_UPPER_LOWER, '$1 $2').replace(LOWER_UPPER, '$1 $2');
    if (spaced === raw) {
      out.push({ text: raw.toLowerCase() });
    } else {
      const parts = spaced.toLowerCase().split(' ');
      for (let i = 0; i < parts.length; i++) {
        const part = parts[i]!;
        out.push(i === 0 ? { text: part, compound: raw.toLowerCase() } : { text: part });
      }
    }
    if (out.length >= limit) break;
  }
  return out;
}

/** The tokens of a short phrase, joined by single spaces (`Sign-In` → `sign in`). */
export function normalizePhrase(phrase: string): string {
  return tokenize(phrase)
    .map((t) => t.text)
    .join(' ');
}

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u']);

/**
 * Candidate base forms of an inflected word, nearest first: plural, -ing,
 * -ed, -er, -ly, -ies. Used only when a word itself is not in the vocabulary.
 */
export function variants(word: string): string[] {
  const out: string[] = [];
  const n = word.length;
  if (n < 4) return out;
  const push = (w: string) => {
    if (w.length >= 2 && w !== word && !out.includes(w)) out.push(w);
  };
  if (word.endsWith('ies')) push(`${word.slice(0, -3)}y`);
  if (word.endsWith('es')) push(word.slice(0, -2));
  if (word.endsWith('s') && !word.endsWith('ss')) push(word.slice(0, -1));
  for (const suffix of ['ing', 'ed', 'er']) {
    if (word.endsWith(suffix) && n - suffix.length >= 3) {
      const stem = word.slice(0, -suffix.length);
      push(stem);
      push(`${stem}e`);
      const last = stem[stem.length - 1]!;
      if (stem.length >= 3 && last === stem[stem.length - 2] && !VOWELS.has(last)) push(stem.slice(0, -1));
      if (stem.endsWith('i')) push(`${stem.slice(0, -1)}y`);
    }
  }
  if (word.endsWith('ly')) push(word.slice(0, -2));
  if (word.endsWith('ation')) push(word.slice(0, -5) + 'e');
  if (word.endsWith('ment')) push(word.slice(0, -4));
  return out;
}
