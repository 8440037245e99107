import { CONCEPTS, type Concept } from './concepts.js';
import { hashedVector, normalize } from './hash.js';
import { phraseTokens, tokenize, variants } from './tokenize.js';
import type { WordVectors } from './vector-file.js';

/** Tuning of the local model. Changing any of these changes every vector: bump the model version. */
export interface LocalModelTuning {
  /** Share of a concept term's own vector kept when it is pulled towards its concept. */
  keepOwn: number;
  /** The same for terms the vocabulary lacks (their own vector is a hashed one). */
  keepOwnUnknown: number;
  /** Weight of an unknown word (hashed n-gram vector); known words carry their frequency weight. */
  unknownWeight: number;
  /** Weight of a whole camelCase identifier added beside its parts when the vocabulary lacks it. */
  compoundWeight: number;
  /** Lowest weight of a concept term, however frequent the word. */
  conceptFloor: number;
  /** Words read per text; the rest is ignored. */
  maxWords: number;
  /** Top principal directions of the concept centres projected out of every vector (the shared "software" direction). */
  removeDomain: number;
}

export const DEFAULT_TUNING: LocalModelTuning = {
  keepOwn: 0.35,
  keepOwnUnknown: 0.4,
  unknownWeight: 0.7,
  compoundWeight: 0.3,
  conceptFloor: 0.5,
  maxWords: 20_000,
  removeDomain: 1,
};

const DIGITS = /^\p{N}+$/u;
const HASH_CACHE_LIMIT = 50_000;

/**
 * Sentence vectors from word vectors: tokens are looked up (whole words,
 * concept phrases, then base forms of inflected words), unknown words get a
 * hashed character n-gram vector, and the weighted sum (smooth inverse
 * frequency) is L2-normalised. Pure and deterministic.
 */
export class LocalModel {
  readonly dimensions: number;
  private readonly index = new Map<string, number>();
  private readonly rows: Float32Array;
  private readonly weights: Float32Array;
  /** First token of a phrase → the phrases starting with it, longest first. */
  private readonly phrases = new Map<string, Array<{ tokens: string[]; row: number }>>();
  private readonly hashed = new Map<string, Float32Array>();
  private readonly empty: Float32Array;

  constructor(
    vectors: WordVectors,
    concepts: readonly Concept[] = CONCEPTS,
    readonly tuning: LocalModelTuning = DEFAULT_TUNING,
  ) {
    const d = vectors.dimensions;
    this.dimensions = d;
    vectors.words.forEach((w, i) => this.index.set(w, i));
    const built = this.applyConcepts(vectors, concepts);
    this.rows = built.rows;
    this.weights = built.weights;
    this.empty = hashedVector('\u2205', d);
  }

  embed(text: string): Float32Array {
    const d = this.dimensions;
    const acc = new Float32Array(d);
    let used = 0;
    const units: string[] = [];
    for (const word of tokenize(text, this.tuning.maxWords)) {
      if (word.parts && !this.index.has(word.text)) {
        units.push(...word.parts);
        this.add(acc, this.hashedOf(word.text), this.tuning.compoundWeight);
        used++;
      } else {
        units.push(word.text);
      }
    }
    for (let i = 0; i < units.length; i++) {
      const unit = units[i]!;
      const phrase = this.matchPhrase(units, i);
      if (phrase) {
        this.addRow(acc, phrase.row);
        i += phrase.tokens.length - 1;
        used++;
        continue;
      }
      const row = this.lookup(unit);
      if (row !== undefined) {
        this.addRow(acc, row);
        used++;
      } else if (unit.length >= 2 && !DIGITS.test(unit)) {
        this.add(acc, this.hashedOf(unit), this.tuning.unknownWeight);
        used++;
      }
    }
    if (used === 0) return new Float32Array(this.empty);
    let s = 0;
    for (let k = 0; k < d; k++) s += acc[k]! * acc[k]!;
    if (s === 0 || !Number.isFinite(s)) return new Float32Array(this.empty);
    return normalize(acc);
  }

  /** The row of a word, or of its nearest base form, if the vocabulary has either. */
  private lookup(word: string): number | undefined {
    const row = this.index.get(word);
    if (row !== undefined) return row;
    for (const v of variants(word)) {
      const r = this.index.get(v);
      if (r !== undefined) return r;
    }
    return undefined;
  }

  private matchPhrase(units: readonly string[], at: number): { tokens: string[]; row: number } | undefined {
    const candidates = this.phrases.get(units[at]!);
    if (!candidates) return undefined;
    outer: for (const candidate of candidates) {
      if (at + candidate.tokens.length > units.length) continue;
      for (let k = 1; k < candidate.tokens.length; k++) if (units[at + k] !== candidate.tokens[k]) continue outer;
      return candidate;
    }
    return undefined;
  }

  private addRow(acc: Float32Array, row: number): void {
    const w = this.weights[row]!;
    const base = row * this.dimensions;
    for (let k = 0; k < this.dimensions; k++) acc[k]! += w * this.rows[base + k]!;
  }

  private add(acc: Float32Array, v: Float32Array, w: number): void {
    for (let k = 0; k < this.dimensions; k++) acc[k]! += w * v[k]!;
  }

  /** The hashed vector of an unknown word; a plural shares its singular's (`widgets` = `widget`). */
  private hashedOf(word: string): Float32Array {
    let v = this.hashed.get(word);
    if (!v) {
      if (this.hashed.size >= HASH_CACHE_LIMIT) this.hashed.clear();
      v = hashedVector(singular(word), this.dimensions);
      this.hashed.set(word, v);
    }
    return v;
  }

  /**
   * Builds the final table: the file's rows, concept terms pulled towards
   * their concepts, and new rows for phrases and terms the file lacks.
   */
  private applyConcepts(vectors: WordVectors, concepts: readonly Concept[]): { rows: Float32Array; weights: Float32Array } {
    const d = vectors.dimensions;
    const base = vectors.vectors;
    const rowOf = (i: number) => base.subarray(i * d, (i + 1) * d);

    interface Term {
      key: string;
      tokens: string[];
      own: Float32Array;
      known: boolean;
      weight: number;
      centres: Float32Array[];
    }
    const terms = new Map<string, Term>();
    const termOf = (text: string): Term | undefined => {
      const tokens = phraseTokens(text);
      if (tokens.length === 0) return undefined;
      const key = tokens.join(' ');
      let term = terms.get(key);
      if (term) return term;
      const single = tokens.length === 1 ? this.index.get(key) : undefined;
      if (single !== undefined) {
        term = { key, tokens, own: new Float32Array(rowOf(single)), known: true, weight: vectors.weights[single]!, centres: [] };
      } else if (tokens.length > 1) {
        const own = new Float32Array(d);
        let known = true;
        let weight = 0;
        for (const t of tokens) {
          const r = this.lookup(t);
          if (r === undefined) {
            known = false;
            const h = hashedVector(t, d);
            for (let k = 0; k < d; k++) own[k]! += this.tuning.unknownWeight * h[k]!;
            weight = Math.max(weight, this.tuning.unknownWeight);
          } else {
            const w = vectors.weights[r]!;
            const v = rowOf(r);
            for (let k = 0; k < d; k++) own[k]! += w * v[k]!;
            weight = Math.max(weight, w);
          }
        }
        term = { key, tokens, own: normalize(own), known, weight, centres: [] };
      } else {
        term = { key, tokens, own: hashedVector(key, d), known: false, weight: 1, centres: [] };
      }
      terms.set(key, term);
      return term;
    };

    for (const concept of concepts) {
      const members = concept.terms.map(termOf).filter((t): t is Term => t !== undefined);
      const centre = new Float32Array(d);
      let n = 0;
      for (const m of members) {
        if (!m.known) continue;
        for (let k = 0; k < d; k++) centre[k]! += m.own[k]!;
        n++;
      }
      for (const word of concept.about ?? []) {
        const r = this.index.get(word.toLowerCase());
        if (r === undefined) continue;
        const v = rowOf(r);
        for (let k = 0; k < d; k++) centre[k]! += v[k]!;
        n++;
      }
      if (n === 0) {
        const h = hashedVector(`concept:${concept.name}`, d);
        centre.set(h);
      }
      normalize(centre);
      for (const m of members) if (!m.centres.includes(centre)) m.centres.push(centre);
    }

    const centres = [...new Set([...terms.values()].flatMap((t) => t.centres))];
    const extra = [...terms.values()].filter((t) => !this.index.has(t.key));
    const count = vectors.words.length + extra.length;
    const rows = new Float32Array(count * d);
    rows.set(base);
    const weights = new Float32Array(count);
    weights.set(vectors.weights);
    extra.forEach((t, i) => this.index.set(t.key, vectors.words.length + i));

    for (const t of terms.values()) {
      const row = this.index.get(t.key)!;
      const keep = t.known ? this.tuning.keepOwn : this.tuning.keepOwnUnknown;
      const mixed = new Float32Array(d);
      for (let k = 0; k < d; k++) mixed[k] = keep * t.own[k]!;
      for (const centre of t.centres) for (let k = 0; k < d; k++) mixed[k]! += ((1 - keep) / t.centres.length) * centre[k]!;
      rows.set(normalize(mixed), row * d);
      weights[row] = Math.max(t.weight, this.tuning.conceptFloor);
      if (t.tokens.length > 1) {
        const first = t.tokens[0]!;
        const list = this.phrases.get(first) ?? [];
        list.push({ tokens: t.tokens, row });
        list.sort((a, b) => b.tokens.length - a.tokens.length);
        this.phrases.set(first, list);
      }
    }
    const directions = domainDirections(centres, d, this.tuning.removeDomain);
    if (directions.length > 0) {
      for (let r = 0; r < count; r++) {
        const v = rows.subarray(r * d, (r + 1) * d);
        for (const u of directions) {
          let s = 0;
          for (let k = 0; k < d; k++) s += v[k]! * u[k]!;
          for (let k = 0; k < d; k++) v[k]! -= s * u[k]!;
        }
        normalize(v);
      }
    }
    return { rows, weights };
  }
}

function singular(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us') && !word.endsWith('is')) return word.slice(0, -1);
  return word;
}

/**
 * The first `count` principal directions (uncentred, by power iteration with
 * deflation) of the concept centres: what software words have in common, which
 * tells nothing about which software topic a text is about.
 */
function domainDirections(centres: readonly Float32Array[], d: number, count: number): Float32Array[] {
  const out: Float32Array[] = [];
  if (centres.length === 0) return out;
  for (let c = 0; c < count; c++) {
    let u: Float32Array = new Float32Array(d);
    for (const v of centres) for (let k = 0; k < d; k++) u[k]! += v[k]!;
    orthogonalize(u, out);
    normalize(u);
    for (let iter = 0; iter < 50; iter++) {
      const next = new Float32Array(d);
      for (const v of centres) {
        const s = dotF(v, u);
        for (let k = 0; k < d; k++) next[k]! += s * v[k]!;
      }
      orthogonalize(next, out);
      u = normalize(next);
    }
    out.push(u);
  }
  return out;
}

function orthogonalize(v: Float32Array, against: readonly Float32Array[]): void {
  for (const u of against) {
    const p = dotF(v, u);
    for (let k = 0; k < v.length; k++) v[k]! -= p * u[k]!;
  }
}

function dotF(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k]! * b[k]!;
  return s;
}
