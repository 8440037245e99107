/**
 * Deterministic pseudo-random vectors for words the vocabulary does not hold:
 * the sum of one random ±1 vector per character n-gram (3- and 4-grams of
 * `<word>`), so an unknown identifier matches itself and near spellings of
 * it. Same input, same vector, on every machine.
 */

/** FNV-1a over UTF-16 code units. */
export function fnv1a(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** mulberry32: a small, fast, well-mixed 32-bit generator. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Adds a ±1 vector seeded by `seed` to `into`. */
function addSigns(into: Float32Array, seed: number): void {
  const next = mulberry32(seed);
  let bits = 0;
  let left = 0;
  for (let k = 0; k < into.length; k++) {
    if (left === 0) {
      bits = next();
      left = 32;
    }
    into[k]! += bits & 1 ? 1 : -1;
    bits >>>= 1;
    left--;
  }
}

/** A unit vector for `word` built from its character n-grams. */
export function hashedVector(word: string, dimensions: number): Float32Array {
  const v = new Float32Array(dimensions);
  const padded = `<${word}>`;
  let grams = 0;
  for (const n of [3, 4]) {
    for (let i = 0; i + n <= padded.length; i++) {
      addSigns(v, fnv1a(padded.slice(i, i + n), 0x9e3779b9 ^ n));
      grams++;
    }
  }
  // The whole word counts as much as all its n-grams together: exact matches dominate.
  const whole = new Float32Array(dimensions);
  addSigns(whole, fnv1a(padded));
  const scale = Math.max(1, Math.sqrt(grams));
  for (let k = 0; k < dimensions; k++) v[k]! += whole[k]! * scale;
  return normalize(v);
}

export function normalize(v: Float32Array): Float32Array {
  let s = 0;
  for (let k = 0; k < v.length; k++) s += v[k]! * v[k]!;
  if (s === 0) return v;
  const inv = 1 / Math.sqrt(s);
  for (let k = 0; k < v.length; k++) v[k]! *= inv;
  return v;
}
