import { mergeSummaries, type Redactor, type RedactionSummary } from '@memory-context/privacy';
import type { PrivacyLevel } from '@memory-context/protocol';
import type { Session } from './entities.js';
import type { MessageInput } from './generated/graphql.js';

/**
 * Redaction before anything is cached or queued (ARCHITECTURE §5): the same
 * library and rules as the server, so PII never leaves the machine and the
 * local copy matches what the server will store.
 */
export interface SessionText {
  title?: string | null | undefined;
  description?: string | null | undefined;
  tags?: readonly string[] | null | undefined;
  content?: readonly MessageInput[] | null | undefined;
}

export function redactSessionText<T extends SessionText>(redactor: Redactor, level: PrivacyLevel, fields: T): { fields: T; summary: RedactionSummary } {
  const summaries: RedactionSummary[] = [];
  const text = (value: string): string => {
    const result = redactor.redactText(value, level);
    summaries.push(result.summary);
    return result.text;
  };
  const out: SessionText = { ...fields };
  if (typeof fields.title === 'string') out.title = text(fields.title);
  if (typeof fields.description === 'string') out.description = text(fields.description);
  if (fields.tags) out.tags = [...new Set(fields.tags.map(text))];
  if (fields.content) out.content = fields.content.map((m) => ({ ...m, text: text(m.text) }));
  return { fields: out as T, summary: mergeSummaries(...summaries) };
}

/** Redacts the named fields of an input (strings, string lists, JSON bodies) for `level`. */
export function redactFields<T extends object>(redactor: Redactor, level: PrivacyLevel, fields: T, keys: ReadonlyArray<keyof T>): T {
  const out = { ...fields };
  for (const key of keys) {
    if (out[key] !== undefined && out[key] !== null) out[key] = redactor.redactValue(out[key], level).value;
  }
  return out;
}

/** The summary as the Session type carries it. */
export function summaryOf(summary: RedactionSummary): Session['redaction'] {
  const counts = Object.entries(summary)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number' && entry[1] > 0)
    .map(([kind, count]) => ({ kind, count }))
    .sort((a, b) => a.kind.localeCompare(b.kind));
  return { total: counts.reduce((n, c) => n + c.count, 0), counts };
}

/** The Session type's summary back into counts per kind. */
export function summaryCounts(redaction: Session['redaction']): RedactionSummary {
  return Object.fromEntries(redaction.counts.map((c) => [c.kind, c.count])) as RedactionSummary;
}
