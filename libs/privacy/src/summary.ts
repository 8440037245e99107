import type { RedactionKind, RedactionSummary } from './types.js';

/** Adds counts kind by kind. */
export function mergeSummaries(...summaries: RedactionSummary[]): RedactionSummary {
  const out: RedactionSummary = {};
  for (const summary of summaries) {
    for (const [kind, count] of Object.entries(summary) as Array<[RedactionKind, number | undefined]>) {
      if (count) out[kind] = (out[kind] ?? 0) + count;
    }
  }
  return out;
}

/** Total number of redactions in a summary. */
export function summaryTotal(summary: RedactionSummary): number {
  let total = 0;
  for (const count of Object.values(summary)) total += count ?? 0;
  return total;
}
