import type { Checkpoint, Pattern, Session } from '../index.js';

/** Memory as markdown for a model to read: one item per block, ids kept so `get` can open it. */

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

function clip(text: string, max: number): string {
  const line = oneLine(text);
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function bodyText(body: unknown): string {
  if (body === null || body === undefined) return '';
  return typeof body === 'string' ? body : JSON.stringify(body);
}

export function sessionText(s: Session): string {
  const tags = s.tags.length ? ` [${s.tags.join(', ')}]` : '';
  const about = s.description ? `\n  ${clip(s.description, 300)}` : '';
  const last = s.content.at(-1);
  const ending = last ? `\n  last: (${last.role}) ${clip(last.text, 300)}` : '';
  return `- **${oneLine(s.title)}** (session ${s.id}, ${s.submoduleId}, ${s.createdAt.slice(0, 10)})${tags}${about}${ending}`;
}

export function patternText(p: Pattern): string {
  const about = p.description ? `\n  ${clip(p.description, 300)}` : '';
  const body = bodyText(p.body);
  return `- **${oneLine(p.name)}** (${p.kind}, pattern ${p.id}, used ${p.usageCount}×, seen ${p.occurrences}×)${about}${body ? `\n  ${clip(body, 400)}` : ''}`;
}

export function checkpointText(c: Checkpoint, maxContent = 4000): string {
  const ref = c.gitRef ? ` at ${c.gitRef}` : '';
  const summary = c.summary ? `\n\n${c.summary.trim()}` : '';
  const content = c.content ? `\n\n${c.content.length > maxContent ? `${c.content.slice(0, maxContent - 1)}…` : c.content.trim()}` : '';
  return `**${oneLine(c.title)}** (checkpoint ${c.id}, ${c.submoduleId}, taken ${c.takenAt}${ref})${summary}${content}`;
}

export function cacheNote(read: { stale: boolean }): string {
  return read.stale ? '\n\n_(From the local cache: the gateway could not be reached.)_' : '';
}
