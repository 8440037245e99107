/** Rounds for a report; null for NaN and infinities (no samples), so JSON keeps them. */
export const round = (n: number, digits = 2): number | null => (Number.isFinite(n) ? Number(n.toFixed(digits)) : null);

/** Nearest-rank percentile of sorted samples (q in 0..1); NaN when there are none. */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export interface LatencySummary {
  samples: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  mean: number | null;
  max: number | null;
}

/** p50/p95/p99, mean and max of response times (ms), in any order. */
export function latencySummary(samples: ArrayLike<number>, digits = 2): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  return {
    samples: sorted.length,
    p50: round(percentile(sorted, 0.5), digits),
    p95: round(percentile(sorted, 0.95), digits),
    p99: round(percentile(sorted, 0.99), digits),
    mean: round(sorted.reduce((a, b) => a + b, 0) / sorted.length, digits),
    max: round(sorted.at(-1) ?? Number.NaN, digits),
  };
}

/** Median of values in any order, rounded; null when there are none. */
export const median = (values: number[], digits = 2): number | null => round(percentile(Float64Array.from(values).sort(), 0.5), digits);
