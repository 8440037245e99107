/** A candidate replacement: where, how strongly it claims the text. */
export interface Candidate {
  readonly start: number;
  readonly end: number;
  readonly priority: number;
}

function beats(a: Candidate, b: Candidate): number {
  return b.priority - a.priority || b.end - b.start - (a.end - a.start) || a.start - b.start;
}

function firstStartingAtOrAfter(sorted: readonly Candidate[], start: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as Candidate).start < start) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Picks non-overlapping candidates: within each cluster of overlapping spans
 * the highest priority wins, then the longest, then the earliest; whatever it
 * overlaps is dropped and the rest compete again. Returns them in text order.
 * Clusters are found in one sorted sweep, so the cost stays near-linear even
 * for very many matches.
 */
export function resolveOverlaps<T extends Candidate>(candidates: readonly T[]): T[] {
  const sorted = [...candidates].sort((a, b) => a.start - b.start || b.end - a.end);
  const chosen: T[] = [];
  let cluster: T[] = [];
  let clusterEnd = -1;
  const flush = (): void => {
    if (cluster.length === 1) chosen.push(cluster[0] as T);
    else if (cluster.length > 1) {
      const kept: T[] = []; // sorted by start, pairwise disjoint
      for (const c of [...cluster].sort(beats)) {
        const at = firstStartingAtOrAfter(kept, c.start);
        const prev = kept[at - 1];
        const next = kept[at];
        if ((prev === undefined || prev.end <= c.start) && (next === undefined || c.end <= next.start)) kept.splice(at, 0, c);
      }
      chosen.push(...kept);
    }
    cluster = [];
  };
  for (const c of sorted) {
    if (c.start >= clusterEnd) {
      flush();
      clusterEnd = c.end;
    } else {
      clusterEnd = Math.max(clusterEnd, c.end);
    }
    cluster.push(c);
  }
  flush();
  return chosen;
}
