import { performance } from 'node:perf_hooks';
import { round } from './stats.js';

/** Counts and total wall time of calls to some methods of live objects (a probe, not a profiler). */
export class CallTimer {
  readonly totals = new Map<string, { calls: number; ms: number }>();
  enabled = false;

  wrap(label: string, target: object, method: string): void {
    const object = target as Record<string, unknown>;
    const original = object[method];
    if (typeof original !== 'function') return;
    object[method] = async (...args: unknown[]) => {
      if (!this.enabled) return (original as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      const started = performance.now();
      try {
        return await (original as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      } finally {
        const entry = this.totals.get(label) ?? { calls: 0, ms: 0 };
        entry.calls++;
        entry.ms += performance.now() - started;
        this.totals.set(label, entry);
      }
    };
  }

  reset(): void {
    this.totals.clear();
  }

  snapshot(): Record<string, { calls: number; ms: number }> {
    return Object.fromEntries([...this.totals].map(([k, v]) => [k, { calls: v.calls, ms: round(v.ms, 1)! }]));
  }
}
