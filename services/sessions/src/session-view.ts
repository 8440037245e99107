import type { SessionRow } from './session-store.js';

/** Resolvers for Session fields that are not plain columns. */
export function redactionView(counts: Record<string, number>) {
  const entries = Object.entries(counts).filter(([, n]) => n > 0).sort(([a], [b]) => a.localeCompare(b));
  return { total: entries.reduce((sum, [, n]) => sum + n, 0), counts: entries.map(([kind, count]) => ({ kind, count })) };
}

export function contentView(row: SessionRow) {
  return row.content ?? [];
}
