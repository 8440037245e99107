import { isReportableIpv6 } from './ip-address.js';
import { findProsePasswords } from './prose-password.js';
import { luhnValid } from './luhn.js';
import { resolveOverlaps } from './resolve-overlaps.js';
import { isPasswordName, isPlaceholderValue, isSecretName, trimUnbalancedClosers } from './secret-names.js';
import type { RedactionKind } from './types.js';

/**
 * The detector table. Every pattern is written to run in linear time on any
 * input: each starts behind a lookbehind that rules out starting inside a run
 * of the characters it consumes, and every repetition is either bounded or
 * cannot overlap with what follows it. Validators (Luhn, SSN ranges, name
 * heuristics) run in code on the match rather than in the pattern.
 *
 * Which category a kind belongs to, and whether it is enabled, is
 * configuration (privacy.config.json); this table knows only how to find it.
 */

export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface Detector {
  readonly kind: RedactionKind;
  /** Overlaps are won by the higher priority, then by the longer span. */
  readonly priority: number;
  /** Every span of `text` this detector matches, in order. */
  find(text: string): Span[];
}

type Refine = (match: RegExpExecArray, span: Span, text: string) => Span | null;

/**
 * Runs a global regex over `text`. `group` picks the capture group that is the
 * secret itself (`password=<group>`); `refine` may reject or narrow a match.
 * After a rejected match, scanning resumes one character later, so a rejected
 * candidate never hides a real one that starts inside it.
 */
function scan(text: string, pattern: RegExp, group?: number, refine?: Refine): Span[] {
  const spans: Span[] = [];
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    const indices = group === undefined ? undefined : m.indices?.[group];
    const span: Span = indices ? { start: indices[0], end: indices[1] } : { start: m.index, end: m.index + m[0].length };
    const accepted = refine ? refine(m, span, text) : span;
    if (!accepted) pattern.lastIndex = m.index + 1;
    else {
      spans.push(accepted);
      if (accepted.end > pattern.lastIndex) pattern.lastIndex = accepted.end;
    }
  }
  return spans;
}

function regexDetector(kind: RedactionKind, priority: number, pattern: RegExp, group?: number, refine?: Refine): Detector {
  if (!pattern.global) throw new Error(`detector ${kind}: pattern must be global`);
  return { kind, priority, find: (text) => scan(text, pattern, group, refine) };
}

/** Merges the spans of several patterns for one kind: where they overlap, the longest stays. */
function longestOf(...lists: Span[][]): Span[] {
  return resolveOverlaps(lists.flat().map((s) => ({ ...s, priority: 0 }))).map(({ start, end }) => ({ start, end }));
}

const textOf = (text: string, span: Span): string => text.slice(span.start, span.end);

// ---------------------------------------------------------------------------
// Private-key blocks: found by hand so that many BEGIN lines without an END
// cost one search for END, not one per BEGIN.

const PEM_BEGIN = /-----BEGIN (?:[A-Z0-9]+ ){0,4}PRIVATE KEY(?: BLOCK)?-----/g;
const PEM_END = /-----END (?:[A-Z0-9]+ ){0,4}PRIVATE KEY(?: BLOCK)?-----/g;
/** Base64 body of a key whose END line is missing (a truncated paste), literal `\n` escapes included. */
const PEM_BODY_CHAR = /[A-Za-z0-9+/=\s\\]/;

function findPrivateKeys(text: string): Span[] {
  const spans: Span[] = [];
  let noEndFrom = Infinity;
  PEM_BEGIN.lastIndex = 0;
  for (let begin = PEM_BEGIN.exec(text); begin !== null; begin = PEM_BEGIN.exec(text)) {
    const headerEnd = begin.index + begin[0].length;
    let end: number;
    const endMatch = headerEnd < noEndFrom ? ((PEM_END.lastIndex = headerEnd), PEM_END.exec(text)) : null;
    if (endMatch) {
      end = endMatch.index + endMatch[0].length;
    } else {
      noEndFrom = Math.min(noEndFrom, headerEnd);
      end = headerEnd;
      while (end < text.length && PEM_BODY_CHAR.test(text.charAt(end))) end++;
      while (end > headerEnd && /\s/.test(text.charAt(end - 1))) end--;
    }
    spans.push({ start: begin.index, end });
    PEM_BEGIN.lastIndex = end;
  }
  return spans;
}

// ---------------------------------------------------------------------------
// `name = value` assignments (`password=…`, `"api_key": "…"`, `TOKEN: …`).
// The pattern finds the name and the operator; the value is read by hand so
// that a rejected name costs nothing more than reading the name.

const ASSIGNMENT = /(?<![A-Za-z0-9_.-])([A-Za-z_][A-Za-z0-9_.-]{0,63})["']?[ \t]{0,3}[:=][ \t]{0,3}/gd;
const MAX_QUOTED_VALUE = 4096;
const MAX_BARE_VALUE = 512;
const BARE_VALUE_STOP = /[\s"'`,;&]/;

/** The value after an assignment operator: inside quotes (escapes allowed, an unclosed quote runs to the line end), or up to a delimiter. */
function readAssignedValue(text: string, from: number): Span | null {
  const quote = text.charAt(from);
  if (quote === '"' || quote === "'") {
    const start = from + 1;
    let i = start;
    const limit = Math.min(text.length, start + MAX_QUOTED_VALUE);
    while (i < limit) {
      const ch = text.charAt(i);
      if (ch === quote || ch === '\n' || ch === '\r') break;
      i += ch === '\\' ? 2 : 1;
    }
    const end = Math.min(i, text.length);
    return end > start ? { start, end } : null;
  }
  let i = from;
  const limit = Math.min(text.length, from + MAX_BARE_VALUE);
  while (i < limit && !BARE_VALUE_STOP.test(text.charAt(i))) i++;
  if (i === from) return null;
  const value = trimUnbalancedClosers(text.slice(from, i));
  return value.length > 0 ? { start: from, end: from + value.length } : null;
}

function assignmentDetector(kind: RedactionKind, priority: number, isName: (name: string) => boolean, minLength: number): Detector {
  return regexDetector(kind, priority, ASSIGNMENT, undefined, (m, whole, text) => {
    const name = m[1] ?? '';
    if (!isName(name)) return null;
    const span = readAssignedValue(text, whole.end);
    if (!span) return null;
    const value = textOf(text, span);
    if (value.length < minLength || /^[=>]/.test(value) || isPlaceholderValue(value)) return null;
    return span;
  });
}

// ---------------------------------------------------------------------------

const hasDigitOrUpper = (s: string): boolean => /[0-9A-Z]/.test(s);
const hasDigit = (s: string): boolean => /\d/.test(s);

function phoneDigitsOk(text: string, span: Span): boolean {
  const digits = textOf(text, span).replace(/\D/g, '').length;
  return digits >= 8 && digits <= 15;
}

const NANP_PHONE = /(?<![\w+.-])(?:1[ .-])?(?:\(\d{3}\)[ .-]?|\d{3}[ .-])\d{3}[ .-]\d{4}(?![\w-]|\.\d)/g;
const INTERNATIONAL_PHONE = /(?<![\w+])\+\d{1,3}(?:[ .-]?\(\d{1,4}\)|[ .-]\d{1,8}){1,6}(?!\w|[.-]\d)/g;
const E164_PHONE = /(?<![\w+])\+[1-9]\d{7,14}(?!\d)/g;

const IPV4 = /(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?!\w|\.\d)/g;
/** A run of hex digits, colons and dots with a colon among its first five characters; parsed in code. */
const IPV6_CANDIDATE = /(?<![\w:.])(?=[0-9A-Fa-f]{0,4}:)[0-9A-Fa-f:][0-9A-Fa-f:.]{1,44}/g;

const passwordAssignments = assignmentDetector('password', 65, isPasswordName, 1);

export const DETECTORS: readonly Detector[] = [
  { kind: 'private_key', priority: 100, find: findPrivateKeys },

  regexDetector('jwt', 90, /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g),

  regexDetector('aws_key', 80, /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Za-z0-9])/g),
  regexDetector(
    'aws_secret_key',
    80,
    /(?<![A-Za-z0-9_])aws_?secret_?access_?key["']?[ \t]{0,3}[:=][ \t]{0,3}["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/dgi,
    1,
  ),
  regexDetector('github_token', 80, /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_[A-Za-z0-9_]{22,255})/g),
  regexDetector('slack_token', 80, /(?<![A-Za-z0-9-])xox[baprs]-[A-Za-z0-9-]{10,250}/g),
  regexDetector('stripe_key', 80, /(?<![A-Za-z0-9_])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,247}/g),
  regexDetector('openai_key', 80, /(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{20,300}/g, undefined, (_m, span, text) =>
    // a random key has digits or capitals; `sk-learn-compatible-estimators` does not
    hasDigitOrUpper(textOf(text, span).slice(3)) ? span : null,
  ),
  regexDetector('huggingface_token', 80, /(?<![A-Za-z0-9_])hf_[A-Za-z0-9]{30,255}/g),

  regexDetector(
    'connection_password',
    75,
    /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,30}:\/\/[^\s:/@?#]{0,256}:([^\s/?#]{1,256})@/dg,
    1,
    (_m, span, text) => (isPlaceholderValue(textOf(text, span)) ? null : span),
  ),

  regexDetector('bearer_token', 70, /(?<![A-Za-z0-9_])[Bb]earer[ \t]{1,3}([A-Za-z0-9._~+/-]{16,2048}=*)/dg, 1, (_m, span, text) =>
    hasDigit(textOf(text, span)) ? span : null,
  ),
  {
    kind: 'password',
    priority: 65,
    find: (text) => longestOf(passwordAssignments.find(text), findProsePasswords(text)),
  },
  assignmentDetector('api_key', 60, isSecretName, 6),

  regexDetector('credit_card', 50, /(?<![\w-])(?:\d{13,19}|\d{4}([ -])\d{4}\1\d{4}\1\d{4}|\d{4}([ -])\d{6}\2\d{4,5})(?![\w-])/g, undefined, (_m, span, text) => {
    const digits = textOf(text, span).replace(/\D/g, '');
    // card numbers start 2–6 (Mastercard 2-series … Discover/UnionPay 6); ms timestamps start with 1
    return /^[2-6]/.test(digits) && luhnValid(digits) ? span : null;
  }),
  regexDetector('ssn', 50, /(?<![\w-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\w-])/g),

  regexDetector('email', 40, /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,24}(?![A-Za-z0-9-])/g),

  {
    kind: 'phone',
    priority: 30,
    find: (text) =>
      longestOf(
        scan(text, NANP_PHONE),
        scan(text, INTERNATIONAL_PHONE, undefined, (_m, span) => (phoneDigitsOk(text, span) ? span : null)),
        scan(text, E164_PHONE),
      ),
  },
  {
    kind: 'ip_address',
    priority: 30,
    find: (text) =>
      longestOf(
        scan(text, IPV4),
        scan(text, IPV6_CANDIDATE, undefined, (_m, span) => {
          let end = span.end;
          while (end > span.start && text.charAt(end - 1) === '.') end--;
          return isReportableIpv6(text.slice(span.start, end)) ? { start: span.start, end } : null;
        }),
      ),
  },
];

const BY_KIND = new Map<RedactionKind, Detector>(DETECTORS.map((d) => [d.kind, d]));

export function detectorFor(kind: RedactionKind): Detector {
  const detector = BY_KIND.get(kind);
  if (!detector) throw new Error(`no detector for kind ${kind}`);
  return detector;
}
