/**
 * Reproducible test data: the contract suite's, the vectors bench's and the
 * benchmarks' (e2e/bench/lib/random.ts), so the repository has one generator.
 * Free of any test runner, so programs outside the tests can import it.
 */

/**
 * Deterministic pseudo-random numbers (mulberry32); also the benchmarks'
 * generator (e2e/bench/lib/random.ts), so the repository's test data has one.
 */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomUnit(random: () => number, dims = 16): Float32Array {
  const v = new Float32Array(dims);
  let s = 0;
  for (let k = 0; k < dims; k++) {
    // Box-Muller: Gaussian components give uniformly spread directions
    const x = Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
    v[k] = x;
    s += x * x;
  }
  for (let k = 0; k < dims; k++) v[k]! /= Math.sqrt(s);
  return v;
}

/** A UUID made from a number, so test data is reproducible. */
export function uuidOf(n: number): string {
  const hex = n.toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}`;
}

