import { MemctxError } from '@memory-context/protocol';
import type { SessionListRow } from './session-store.js';

/** Resolvers for Session fields that are not plain columns. */
export function redactionView(counts: Record<string, number>) {
  const entries = Object.entries(counts).filter(([, n]) => n > 0).sort(([a], [b]) => a.localeCompare(b));
  return { total: entries.reduce((sum, [, n]) => sum + n, 0), counts: entries.map(([kind, count]) => ({ kind, count })) };
}

export function contentView(row: SessionListRow) {
  // undefined, unlike a stored null, means the list left the column out: a bug to surface, not an empty conversation.
  if (row.content === undefined) throw new MemctxError('INTERNAL', `Session ${row.id} was read without its content.`);
  return row.content ?? [];
}
