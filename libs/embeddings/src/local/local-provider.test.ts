import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { EVAL_DOCUMENTS, EVAL_QUERIES } from '../eval/engineering-set.js';
import { evaluateProvider, scoreRankings } from '../eval/metrics.js';
import { createEmbeddingProvider } from '../create.js';
import { describeEmbeddingProviderContract } from '../provider.contract.js';
import { cosine } from '../vector-math.js';
import {
  createLocalProvider,
  LOCAL_DIMENSIONS,
  LOCAL_MODEL_FINGERPRINT,
  LOCAL_MODEL_ID,
  LOCAL_MODEL_VERSION,
  locateVectorsFile,
  LocalEmbeddingProvider,
  localModelFingerprint,
} from './local-provider.js';
import { tokenize } from './tokenize.js';
import { decodeWordVectors } from './vector-file.js';

describeEmbeddingProviderContract('local', () => createLocalProvider());

const provider = await createLocalProvider();
const sim = async (a: string, b: string) => {
  const [va, vb] = await provider.embed([a, b]);
  return cosine(va!, vb!);
};

describe('local provider', () => {
  it('is the default provider, with a versioned model id', async () => {
    const p = await createEmbeddingProvider({ embeddings: 'local', hfToken: undefined, hfEndpointUrl: undefined, hfModel: 'x' });
    expect(p.modelId).toBe(LOCAL_MODEL_ID);
    expect(p.modelId).toBe(`local:glove6b-${LOCAL_DIMENSIONS}d-v${LOCAL_MODEL_VERSION}`);
    expect(p.dimensions).toBe(LOCAL_DIMENSIONS);
  });

  it('puts "login" nearer "authentication" than "database"', async () => {
    expect(await sim('login', 'authentication')).toBeGreaterThan(await sim('login', 'database'));
  });

  it.each([
    ['db', 'database', 'login'],
    ['postgres', 'database', 'kubernetes'],
    ['k8s', 'kubernetes', 'database'],
    ['ci', 'pipeline', 'password'],
    ['error', 'exception', 'deployment'],
    ['panic', 'crash', 'login'],
    ['sign-in', 'login', 'migration'],
    ['signIn', 'authentication', 'cache'],
    ['flaky tests', 'intermittent test failures', 'database schema'],
    ['deploy to production', 'release rollout', 'unit test mocks'],
    ['memory leak', 'heap keeps growing', 'login page'],
    ['the query is slow', 'latency of the sql statement', 'signing in with oauth'],
  ])('%s is nearer %s than %s', async (a, near, far) => {
    expect(await sim(a, near)).toBeGreaterThan(await sim(a, far));
  });

  it('matches an unknown identifier with itself and its spelling variants', async () => {
    expect(await sim('frobnicateWidgetCache', 'frobnicateWidgetCache')).toBeGreaterThan(0.9999);
    expect(await sim('call frobnicateWidgetCache here', 'frobnicateWidgetCache failed')).toBeGreaterThan(
      await sim('call frobnicateWidgetCache here', 'listOrders failed'),
    );
    expect(await sim('qwzxlib', 'qwzxlibs')).toBeGreaterThan(0.5);
  });

  it('is deterministic across instances and independent of batch composition', async () => {
    const other = new LocalEmbeddingProvider(decodeWordVectors(readFileSync(locateVectorsFile())));
    const [a] = await provider.embed(['Tokio runtime blocked by a synchronous read']);
    const [, b] = await other.embed(['something else first', 'Tokio runtime blocked by a synchronous read']);
    expect(Array.from(a!)).toEqual(Array.from(b!));
  });

  it('still has the fingerprint its version was set for (bump LOCAL_MODEL_VERSION when the output changes)', () => {
    const fingerprint = localModelFingerprint(provider);
    expect(
      fingerprint,
      `The local model's vectors changed: bump LOCAL_MODEL_VERSION and set LOCAL_MODEL_FINGERPRINT to '${fingerprint}' in local-provider.ts`,
    ).toBe(LOCAL_MODEL_FINGERPRINT);
  });

  it('retrieves related engineering notes that share no words with the query far better than word overlap', async () => {
    const scores = await evaluateProvider(provider);
    const bag = (t: string) => new Set(tokenize(t).map((w) => w.text).filter((w) => w.length > 2));
    const overlap = scoreRankings(
      EVAL_QUERIES,
      EVAL_QUERIES.map((q) => {
        const qb = bag(q.text);
        return EVAL_DOCUMENTS.map((d) => ({ id: d.id, s: [...bag(d.text)].filter((w) => qb.has(w)).length }))
          .sort((x, y) => y.s - x.s)
          .map((h) => h.id);
      }),
    );
    expect(scores.mrr).toBeGreaterThan(0.65);
    expect(scores.recallAt5).toBeGreaterThan(0.6);
    expect(scores.mrr).toBeGreaterThan(overlap.mrr + 0.2);
  });

  it('embeds thousands of texts per second', () => {
    const texts = Array.from({ length: 2000 }, (_, i) => `${EVAL_DOCUMENTS[i % EVAL_DOCUMENTS.length]!.text} #${i}`);
    const started = performance.now();
    provider.embedSync(texts);
    const perSecond = texts.length / ((performance.now() - started) / 1000);
    expect(perSecond).toBeGreaterThan(2000);
  });
});

describe('tokenizer', () => {
  it('splits identifiers and keeps letter-digit runs', () => {
    expect(tokenize('getUserById snake_case kebab-case HTTPServer k8s OAuth2 p95')).toEqual([
      { text: 'getuserbyid', parts: ['get', 'user', 'by', 'id'] },
      { text: 'snake' },
      { text: 'case' },
      { text: 'kebab' },
      { text: 'case' },
      { text: 'httpserver', parts: ['http', 'server'] },
      { text: 'k8s' },
      { text: 'oauth2' },
      { text: 'p95' },
    ]);
  });
});

describe('word-vector file', () => {
  it('round-trips through encode/decode with int8 quantization', async () => {
    const { encodeWordVectors, quantize } = await import('./vector-file.js');
    const vectors = Float32Array.from([0.6, 0.8, 0, -1, 0, 0]);
    const { scales, codes } = quantize(vectors, 3);
    const bytes = encodeWordVectors({ source: 'test', dimensions: 3, words: ['a', 'bé'], weights: Float32Array.from([0.5, 1]), scales, codes });
    const decoded = decodeWordVectors(bytes);
    expect(decoded.words).toEqual(['a', 'bé']);
    expect(decoded.source).toBe('test');
    expect(Array.from(decoded.weights)).toEqual([0.5, 1]);
    expect(decoded.vectors[0]).toBeCloseTo(0.6, 2);
    expect(decoded.vectors[3]).toBeCloseTo(-1, 5);
    expect(() => decodeWordVectors(bytes.subarray(0, bytes.length - 1))).toThrow(/corrupt/);
  });

  it('ships the documented vocabulary and size', () => {
    const v = decodeWordVectors(readFileSync(locateVectorsFile()));
    expect(v.dimensions).toBe(LOCAL_DIMENSIONS);
    expect(v.words.length).toBeGreaterThan(25_000);
    expect(v.source).toMatch(/glove/i);
    expect(v.words).toContain('authentication');
  });
});
