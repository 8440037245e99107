/**
 * Tokenizer of the local provider. Lowercases and cuts text into runs of
 * letters and digits; letters and digits that touch stay together (`k8s`,
 * `oauth2`, `utf8`, `p95`). An identifier written in camelCase or PascalCase
 * also carries its parts (`getUserById` → get, user, by, id); snake_case,
 * kebab-case, dots and slashes separate words anyway.
 *
 * The derivation script and the concept table use the same function, so a
 * concept term such as `sign-in` or `ci/cd` becomes the phrase `sign in` / `ci cd`.
 */

const WORD = /[\p{L}\p{N}]+/gu;
const LOWER_UPPER = /([\p{Ll}\p{N}])(\p{Lu})/gu;
const UPPER_UPPER_LOWER = /(\p{Lu})(\p{Lu}\p{Ll})/gu;

export interface Word {
  /** The whole run, lowercased. */
  text: string;
  /** Its camelCase parts, lowercased, when it has more than one. */
  parts?: string[];
}

/** Splits `text` into lowercase words; `limit` caps how many are read. */
export function tokenize(text: string, limit = Number.POSITIVE_INFINITY): Word[] {
  const out: Word[] = [];
  for (const match of text.matchAll(WORD)) {
    if (out.length >= limit) break;
    const raw = match[0];
    const lower = raw.toLowerCase();
    if (lower === raw) {
      out.push({ text: lower });
      continue;
    }
    const parts = raw.replace(UPPER_UPPER_LOWER, '$1 $2').replace(LOWER_UPPER, '$1 $2').toLowerCase().split(' ');
    // A lone leading capital belongs to the next part: OAuth → oauth, IPhone → iphone.
    if (parts.length > 1 && parts[0]!.length === 1) parts.splice(0, 2, parts[0]! + parts[1]!);
    out.push(parts.length > 1 ? { text: lower, parts } : { text: lower });
  }
  return out;
}

/** A short phrase as the tokens the embedder matches (`Sign-In` → `sign in`, `node.js` → `node js`). */
export function phraseTokens(phrase: string): string[] {
  return tokenize(phrase).flatMap((w) => w.parts ?? [w.text]);
}

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u']);

/**
 * Candidate base forms of an inflected word, nearest first (plural, -ing,
 * -ed, -er, -ly, -ation, -ment). Used only when a word itself is not in the
 * vocabulary.
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
  if (word.endsWith('ation')) push(`${word.slice(0, -5)}e`);
  if (word.endsWith('ment')) push(word.slice(0, -4));
  return out;
}
