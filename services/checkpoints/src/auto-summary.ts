import type { SessionDigest } from '@memory-context/db';

/** Most sessions an auto checkpoint takes (the newest ones). */
export const AUTO_SESSION_LIMIT = 500;
const TITLE_CHARS = 200;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export interface AutoDigest {
  title: string;
  summary: string;
}

/**
 * What an auto checkpoint says about the sessions it links: one line per
 * session (title, tags, message count), then totals and the tags used most.
 */
export function describeSessions(digests: readonly SessionDigest[], since: Date | null, takenAt: Date, truncated = false): AutoDigest {
  const day = takenAt.toISOString().slice(0, 10);
  const title = `Checkpoint: ${plural(digests.length, 'session')} (${day})`;
  const window = since ? `since ${since.toISOString()}` : 'so far';
  if (digests.length === 0) {
    return { title, summary: `No sessions ${window}.` };
  }
  const messages = digests.reduce((sum, d) => sum + d.messages, 0);
  const lines = [`${plural(digests.length, 'session')} ${window}, ${plural(messages, 'message')} in all:`];
  for (const d of digests) {
    const tags = d.tags.length > 0 ? ` [${d.tags.join(', ')}]` : '';
    lines.push(`• ${clip(d.title, TITLE_CHARS)}${tags} (${plural(d.messages, 'message')})`);
  }
  const tagCounts = new Map<string, number>();
  for (const d of digests) for (const tag of new Set(d.tags)) tagCounts.set(tag, (tagCounts.get(tag) ?? 0) + 1);
  const top = [...tagCounts].sort(([a, x], [b, y]) => y - x || a.localeCompare(b)).slice(0, 20);
  lines.push(`Totals: ${plural(digests.length, 'session')}, ${plural(messages, 'message')}, ${plural(tagCounts.size, 'distinct tag')}.`);
  if (top.length > 0) lines.push(`Tags: ${top.map(([tag, n]) => `${tag} (${n})`).join(', ')}`);
  if (truncated) lines.push(`Only the ${AUTO_SESSION_LIMIT} most recent sessions are included.`);
  return { title, summary: lines.join('\n') };
}

/**
 * What an auto checkpoint stores in place of its digest: the window only.
 * Session titles and tags are personal data that a GDPR deletion must reach,
 * and a checkpoint is immutable, so the digest is written at read time from
 * the sessions still linked (checkpoint-digest.ts) and never stored.
 */
const MARKER = /(?:^|\n\n)Linked sessions (?:so far|since (\S+?))( \(the \d+ most recent\))?\.$/;

export interface AutoWindow {
  /** The checkpoint's own summary before the digest, if it had one. */
  lead: string | null;
  since: Date | null;
  truncated: boolean;
}

export function autoMarker(since: Date | null, truncated: boolean): string {
  return `Linked sessions ${since ? `since ${since.toISOString()}` : 'so far'}${truncated ? ` (the ${AUTO_SESSION_LIMIT} most recent)` : ''}.`;
}

/** The window an auto checkpoint stored, or undefined for a checkpoint whose summary is all its own. */
export function parseAutoMarker(summary: string | null): AutoWindow | undefined {
  if (summary === null) return undefined;
  const match = MARKER.exec(summary);
  if (!match) return undefined;
  const since = match[1] ? new Date(match[1]) : null;
  if (since && Number.isNaN(since.getTime())) return undefined;
  const lead = summary.slice(0, match.index);
  return { lead: lead === '' ? null : lead, since, truncated: match[2] !== undefined };
}
