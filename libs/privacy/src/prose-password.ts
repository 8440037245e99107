import { isPlaceholderValue } from './secret-names.js';

/**
 * Passwords written in a sentence: "our staging password is Blue#Heron2026",
 * "pwd: Tr0ub4dor&3", "the password for staging was Xk9!pq2m". Prose talks
 * about passwords far more often than it contains one ("the password is
 * required", "reset your password in settings"), so the word after the
 * keyword is taken only when it looks like a credential, not like a word.
 */

interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * The keyword, an optional "for/of/on … staging db" qualifier (at most two
 * words), and a connector: `:`/`=`, a verb ("is", "was", "set to"), or a plain
 * space ("passphrase X"). Every repetition is bounded, so it runs in linear time.
 */
const PROSE_PASSWORD =
  /(?<![A-Za-z0-9_])(?:pass(?:word|wd|phrase|code)s?|pwd|pw)(?:[ \t]+(?:for|of|on|to|at|in)(?:[ \t]+(?:the|our|my|your))?[ \t]+[\w.@/-]{1,64}(?:[ \t]+[\w.@-]{1,32})?)?(?:[ \t]{0,3}[:=][ \t]{0,3}|[ \t]+(?:(?:is[ \t]+|was[ \t]+|has[ \t]+been[ \t]+)?(?:set|changed|reset)[ \t]+to|is|was|are|were|will[ \t]+be|has[ \t]+been|now)(?:[ \t]*:[ \t]*|[ \t]+)|[ \t]+)/gi;

const MIN_LENGTH = 6;
const MAX_LENGTH = 128;
/** Sentence punctuation after the value belongs to the sentence, not to the password. */
const TRAILING_PUNCTUATION = /[.,;:?)\]}]+$/;

/** Shapes of ordinary words: "required", "Settings", "REQUIRED", "case-sensitive", "user's", "8-characters", "SHA-256", "UTF-8". */
const WORDS = [/^[A-Za-z]+(?:['’-][A-Za-z]+)*$/, /^\d+-?[A-Za-z]+$/, /^[A-Z]{2,}-?\d+$/];

/**
 * A credential mixes character classes (lower, upper, digit, symbol); a word
 * does not. A capitalised word ("Settings") counts as letters only, and a
 * value of one class ("required", "123456789") is not taken.
 */
export function looksLikeCredential(value: string): boolean {
  if (value.length < MIN_LENGTH || value.length > MAX_LENGTH) return false;
  if (isPlaceholderValue(value)) return false;
  // A word in brackets or quotes is still a word: "passwords (quarterly)".
  const bare = value.replace(/^[([{<"'`]+|[)\]}>"'`]+$/g, '');
  if (WORDS.some((word) => word.test(bare))) return false;
  let classes = 0;
  if (/[a-z]/.test(value)) classes++;
  if (/[A-Z]/.test(value) && !/^[A-Z][^A-Z]*$/.test(value)) classes++; // one leading capital is grammar
  if (/[0-9]/.test(value)) classes++;
  if (/[^A-Za-z0-9]/.test(value)) classes++;
  return classes >= 2;
}

/** The value after the connector: inside quotes, or up to the next space or quote, less sentence punctuation. */
function readValue(text: string, from: number): Span | null {
  const quote = text.charAt(from);
  if (quote === '"' || quote === "'" || quote === '`') {
    const close = text.indexOf(quote, from + 1);
    if (close < 0 || close - from - 1 > MAX_LENGTH) return null;
    const value = text.slice(from + 1, close);
    return /[\r\n]/.test(value) ? null : { start: from + 1, end: close };
  }
  let end = from;
  const limit = Math.min(text.length, from + MAX_LENGTH + 1);
  while (end < limit && !/[\s"'`]/.test(text.charAt(end))) end++;
  const value = text.slice(from, end).replace(TRAILING_PUNCTUATION, '');
  return value.length > 0 ? { start: from, end: from + value.length } : null;
}

export function findProsePasswords(text: string): Span[] {
  const spans: Span[] = [];
  PROSE_PASSWORD.lastIndex = 0;
  for (let m = PROSE_PASSWORD.exec(text); m !== null; m = PROSE_PASSWORD.exec(text)) {
    const span = readValue(text, m.index + m[0].length);
    const value = span ? text.slice(span.start, span.end) : '';
    // Quoted values may hold spaces; the classes are judged on the rest.
    if (span && looksLikeCredential(value.replace(/\s+/g, ''))) {
      spans.push(span);
      PROSE_PASSWORD.lastIndex = span.end;
    } else {
      PROSE_PASSWORD.lastIndex = m.index + 1;
    }
  }
  return spans;
}
