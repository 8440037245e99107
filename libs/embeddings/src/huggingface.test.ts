import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemctxError } from '@memory-context/protocol';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createEmbeddingProvider } from './create.js';
import { EMPTY_TEXT_PLACEHOLDER, HuggingFaceEmbeddingProvider, type HuggingFaceOptions } from './huggingface.js';
import { describeEmbeddingProviderContract } from './provider.contract.js';
import { cosine } from './vector-math.js';

const DIMS = 384;
const TOKEN = 'hf_fake_token_for_tests';

interface Scripted {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * A local stand-in for a Hugging Face feature-extraction endpoint (the
 * protocol @huggingface/inference speaks with `endpointUrl`): POST JSON
 * `{ inputs: string[], truncate }`, answer `number[][]` (pooled) or
 * `number[][][]` (token-level) — deterministic, unnormalised vectors.
 */
class FakeHfServer {
  readonly requests: Array<{ url: string; auth: string | undefined; body: { inputs: string[] } & Record<string, unknown> }> = [];
  script: Scripted[] = [];
  tokenLevel = false;
  dims = DIMS;
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/embed`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  reset(): void {
    this.requests.length = 0;
    this.script = [];
    this.tokenLevel = false;
    this.dims = DIMS;
  }

  static vectorOf(text: string, dims: number, salt = ''): number[] {
    const out: number[] = [];
    for (let block = 0; out.length < dims; block++) {
      const digest = createHash('sha256').update(`${salt}${block}:${text}`).digest();
      for (let i = 0; i < digest.length && out.length < dims; i++) out.push((digest[i]! - 127.5) / 50);
    }
    return out;
  }

  private async handle(req: IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { inputs: string[] };
    this.requests.push({ url: req.url ?? '', auth: req.headers.authorization, body });
    const next = this.script.shift();
    if (next && next.status !== 200) {
      res.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
      res.end(JSON.stringify(next.body ?? { error: `scripted ${next.status}` }));
      return;
    }
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'Invalid credentials in Authorization header' }));
      return;
    }
    const inputs = Array.isArray(body.inputs) ? body.inputs : [body.inputs];
    const output = inputs.map((text) =>
      this.tokenLevel
        ? [FakeHfServer.vectorOf(text, this.dims, 'a'), FakeHfServer.vectorOf(text, this.dims, 'b'), FakeHfServer.vectorOf(text, this.dims, 'c')]
        : FakeHfServer.vectorOf(text, this.dims),
    );
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(next?.body ?? output));
  }
}

const fake = new FakeHfServer();
let endpointUrl: string;
const sleeps: number[] = [];

function provider(overrides: Partial<HuggingFaceOptions> = {}): HuggingFaceEmbeddingProvider {
  return new HuggingFaceEmbeddingProvider({
    model: 'sentence-transformers/all-MiniLM-L6-v2',
    token: TOKEN,
    endpointUrl,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...overrides,
  });
}

beforeAll(async () => {
  endpointUrl = await fake.start();
});
afterAll(() => fake.stop());

describeEmbeddingProviderContract('huggingface (local fake endpoint)', async () => provider());

describe('huggingface provider against a fake endpoint', () => {
  beforeEach(() => {
    fake.reset();
    sleeps.length = 0;
  });

  it('sends the token, batches 32 texts per request and keeps order', async () => {
    const texts = Array.from({ length: 70 }, (_, i) => `text ${i}`);
    const vectors = await provider().embed(texts);
    expect(fake.requests.map((r) => r.body.inputs.length)).toEqual([32, 32, 6]);
    expect(fake.requests.every((r) => r.auth === `Bearer ${TOKEN}` && r.url === '/embed')).toBe(true);
    expect(fake.requests[0]!.body.truncate).toBe(true);
    const expected = FakeHfServer.vectorOf('text 69', DIMS);
    const norm = Math.hypot(...expected);
    expect(vectors[69]![0]).toBeCloseTo(expected[0]! / norm, 5);
  });

  it('mean-pools token-level output', async () => {
    fake.tokenLevel = true;
    const [v] = await provider().embed(['pooled']);
    const parts = ['a', 'b', 'c'].map((salt) => FakeHfServer.vectorOf('pooled', DIMS, salt));
    const mean = parts[0]!.map((_, k) => (parts[0]![k]! + parts[1]![k]! + parts[2]![k]!) / 3);
    const norm = Math.hypot(...mean);
    expect(v![5]).toBeCloseTo(mean[5]! / norm, 5);
  });

  it('sends a placeholder for empty text and cuts very long text', async () => {
    await provider({ maxChars: 100 }).embed(['', 'x'.repeat(5000)]);
    expect(fake.requests[0]!.body.inputs).toEqual([EMPTY_TEXT_PLACEHOLDER, 'x'.repeat(100)]);
  });

  it('retries 503 with growing backoff, then succeeds', async () => {
    fake.script = [{ status: 503 }, { status: 503 }];
    const vectors = await provider().embed(['after two failures']);
    expect(vectors).toHaveLength(1);
    expect(fake.requests).toHaveLength(3);
    expect(sleeps).toEqual([375, 750]); // 500 ms doubled, with jitter 0.5 of the upper half
  });

  it('honours Retry-After on 429', async () => {
    fake.script = [{ status: 429, headers: { 'retry-after': '3' } }];
    await provider().embed(['rate limited once']);
    expect(sleeps).toEqual([3000]);
  });

  it('maps 401 to an INTERNAL auth error without retrying', async () => {
    const error = await provider({ token: 'hf_wrong' }).embed(['x']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MemctxError);
    expect((error as MemctxError).code).toBe('INTERNAL');
    expect((error as MemctxError).details).toMatchObject({ provider: 'huggingface', reason: 'auth', status: 401 });
    expect((error as MemctxError).message).toMatch(/MEMCTX_HF_TOKEN/);
    expect(fake.requests).toHaveLength(1);
  });

  it('maps 403 to an auth error too', async () => {
    fake.script = [{ status: 403, body: { error: 'This token lacks inference permission' } }];
    const error = (await provider().embed(['x']).catch((e: unknown) => e)) as MemctxError;
    expect(error.details).toMatchObject({ reason: 'auth', status: 403 });
    expect(error.message).toMatch(/lacks inference permission/);
  });

  it('maps 402 to RATE_LIMITED (quota) without retrying', async () => {
    fake.script = [{ status: 402, body: { error: 'You have exceeded your monthly included credits' } }];
    const error = (await provider().embed(['x']).catch((e: unknown) => e)) as MemctxError;
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.details).toMatchObject({ reason: 'quota', status: 402 });
    expect(fake.requests).toHaveLength(1);
  });

  it('gives up on persistent 429 after the bounded retries with RATE_LIMITED', async () => {
    fake.script = Array.from({ length: 10 }, () => ({ status: 429 }));
    const error = (await provider({ maxRetries: 3 }).embed(['x']).catch((e: unknown) => e)) as MemctxError;
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.details).toMatchObject({ reason: 'rate_limited', attempts: 4 });
    expect(fake.requests).toHaveLength(4);
    expect(sleeps).toEqual([375, 750, 1500]);
  });

  it('gives up on persistent 5xx with INTERNAL unavailable', async () => {
    fake.script = Array.from({ length: 10 }, () => ({ status: 502 }));
    const error = (await provider({ maxRetries: 2 }).embed(['x']).catch((e: unknown) => e)) as MemctxError;
    expect(error.code).toBe('INTERNAL');
    expect(error.details).toMatchObject({ reason: 'unavailable', status: 502, attempts: 3 });
  });

  it('retries network failures', async () => {
    const unreachable = provider({ endpointUrl: 'http://127.0.0.1:9/embed', maxRetries: 1 });
    const error = (await unreachable.embed(['x']).catch((e: unknown) => e)) as MemctxError;
    expect(error.code).toBe('INTERNAL');
    expect(error.details).toMatchObject({ reason: 'unavailable', attempts: 2 });
  });

  it('rejects malformed output and wrong sizes', async () => {
    fake.script = [{ status: 200, body: { embeddings: [] } }];
    const malformed = (await provider().embed(['x']).catch((e: unknown) => e)) as MemctxError;
    expect(malformed.details).toMatchObject({ reason: 'bad_response' });
    fake.dims = 10;
    const wrongSize = (await provider().embed(['x']).catch((e: unknown) => e)) as MemctxError;
    expect(wrongSize.message).toMatch(/10-dimensional vectors, expected 384/);
  });

  it('learns the size of an unknown model with one probe request', async () => {
    fake.dims = 24;
    const p = await HuggingFaceEmbeddingProvider.create({ model: 'acme/custom-embedder', token: TOKEN, endpointUrl });
    expect(p.dimensions).toBe(24);
    expect(p.modelId).toBe('huggingface:acme/custom-embedder');
    expect(fake.requests).toHaveLength(1);
  });

  it('is chosen by createEmbeddingProvider and refuses a configuration with neither token nor endpoint', async () => {
    const p = await createEmbeddingProvider({ embeddings: 'huggingface', hfToken: TOKEN, hfEndpointUrl: endpointUrl, hfModel: 'sentence-transformers/all-MiniLM-L6-v2' });
    expect(p.modelId).toBe('huggingface:sentence-transformers/all-MiniLM-L6-v2');
    expect(p.dimensions).toBe(384);
    expect(fake.requests).toHaveLength(0);
    await expect(createEmbeddingProvider({ embeddings: 'huggingface', hfToken: undefined, hfEndpointUrl: undefined, hfModel: 'm' })).rejects.toThrow(/MEMCTX_HF_TOKEN/);
  });
});

const realToken = process.env.MEMCTX_HF_TOKEN;
(!realToken ? describe.skip : describe)('huggingface hosted Inference API (MEMCTX_HF_TOKEN set)', () => {
  const real = () =>
    HuggingFaceEmbeddingProvider.create({
      model: process.env.MEMCTX_HF_MODEL ?? 'sentence-transformers/all-MiniLM-L6-v2',
      token: realToken,
      endpointUrl: process.env.MEMCTX_HF_ENDPOINT_URL,
    });
  describeEmbeddingProviderContract('huggingface (hosted)', real, { batch: 8, timeoutMs: 120_000 });
  it('is semantic', async () => {
    const p = await real();
    const [login, auth, db] = await p.embed(['login', 'authentication', 'database']);
    expect(cosine(login!, auth!)).toBeGreaterThan(cosine(login!, db!));
  }, 120_000);
});
