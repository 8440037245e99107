import { createHash } from 'node:crypto';
import { canonicalJson } from '@memory-context/db';

/** Lowercase, single spaces, no surrounding punctuation: "Retry  with Backoff!" ≡ "retry with backoff". */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, '');
}

function normalizeValue(value: unknown): unknown {
  if (typeof value === 'string') return normalizeText(value);
  if (Array.isArray(value)) return value.map(normalizeValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), normalizeValue(v)]));
  }
  return value;
}

/**
 * Identity of a lesson for exact deduplication: kind + normalized name and
 * body. Description and tags are left out, so wording around the lesson may vary.
 */
export function patternFingerprint(kind: string, name: string, body: unknown): string {
  return createHash('sha256')
    .update(kind)
    .update('\0')
    .update(normalizeText(name))
    .update('\0')
    .update(canonicalJson(normalizeValue(body ?? null)))
    .digest('hex');
}

/** PUBLIC and TEAM lessons merge across submodules; PRIVATE ones only within their own. */
export function mergeScope(privacyLevel: string, submoduleId: string): string {
  return privacyLevel === 'PRIVATE' ? `private:${submoduleId}` : 'shared';
}
