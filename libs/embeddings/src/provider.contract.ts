import { beforeAll, describe, expect, it } from '@jest/globals';
import type { EmbeddingProvider } from './provider.js';

export interface ProviderContractOptions {
  /** Texts per call in the batch test (keep small for remote providers). */
  batch?: number;
  /** Per-test timeout, for remote providers. */
  timeoutMs?: number;
}

function norm(v: Float32Array): number {
  let s = 0;
  for (const x of v) s += x * x;
  return Math.sqrt(s);
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k]! * b[k]!;
  return s;
}

/**
 * The behaviour every EmbeddingProvider owes the search service. Call it at
 * the top level of a test file (or inside a describe) with a factory.
 */
export function describeEmbeddingProviderContract(name: string, factory: () => Promise<EmbeddingProvider>, options: ProviderContractOptions = {}): void {
  const timeout = options.timeoutMs ?? 30_000;
  describe(`EmbeddingProvider contract: ${name}`, () => {
    let provider: EmbeddingProvider;
    beforeAll(async () => {
      provider = await factory();
    }, timeout);

    it('has a model id and a positive size', () => {
      expect(provider.modelId).toMatch(/\S/);
      expect(Number.isInteger(provider.dimensions)).toBe(true);
      expect(provider.dimensions).toBeGreaterThan(0);
    });

    it('returns one unit vector of the declared size per text', async () => {
      const vectors = await provider.embed(['database migration locked the table', 'flaky test on CI']);
      expect(vectors).toHaveLength(2);
      for (const v of vectors) {
        expect(v).toBeInstanceOf(Float32Array);
        expect(v.length).toBe(provider.dimensions);
        expect(v.every(Number.isFinite)).toBe(true);
        expect(norm(v)).toBeCloseTo(1, 4);
      }
    }, timeout);

    it('returns nothing for no texts', async () => {
      expect(await provider.embed([])).toEqual([]);
    }, timeout);

    it('is deterministic for equal input, within a call and across calls', async () => {
      const [a, b] = await provider.embed(['retry with exponential backoff', 'retry with exponential backoff']);
      const [c] = await provider.embed(['retry with exponential backoff']);
      expect(dot(a!, b!)).toBeGreaterThan(0.9999);
      expect(dot(a!, c!)).toBeGreaterThan(0.9999);
    }, timeout);

    it('keeps the order of a batch', async () => {
      const n = options.batch ?? 50;
      const texts = Array.from({ length: n }, (_, i) => `note ${i}: ${['login', 'postgres', 'kubernetes', 'panic', 'cache'][i % 5]} item ${i * 7919}`);
      const together = await provider.embed(texts);
      expect(together).toHaveLength(n);
      const picks = [0, Math.floor(n / 2), n - 1];
      const alone = await provider.embed(picks.map((i) => texts[i]!));
      picks.forEach((i, j) => expect(dot(together[i]!, alone[j]!)).toBeGreaterThan(0.9999));
      // and the texts are not all mapped to one vector
      expect(dot(together[0]!, together[1]!)).toBeLessThan(0.999);
    }, timeout);

    it('handles the empty string and whitespace with a finite unit vector', async () => {
      const vectors = await provider.embed(['', '   ', 'something']);
      expect(vectors).toHaveLength(3);
      for (const v of vectors) {
        expect(v.length).toBe(provider.dimensions);
        expect(v.every(Number.isFinite)).toBe(true);
        expect(norm(v)).toBeCloseTo(1, 4);
      }
    }, timeout);

    it('handles long text', async () => {
      const long = 'The indexer reads the change feed, builds documents and embeds them in batches. '.repeat(800);
      const [v] = await provider.embed([long]);
      expect(v!.length).toBe(provider.dimensions);
      expect(norm(v!)).toBeCloseTo(1, 4);
    }, timeout);

    it('handles identifiers, punctuation and non-Latin text', async () => {
      const vectors = await provider.embed(['getUserById() -> Result<User, DbError>', 'ошибка подключения к базе данных', '🚀 ✅']);
      for (const v of vectors) expect(norm(v)).toBeCloseTo(1, 4);
    }, timeout);
  });
}
