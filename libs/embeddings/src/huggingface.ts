import { featureExtraction, InferenceClientProviderApiError, InferenceClientHubApiError } from '@huggingface/inference';
import { MemctxError } from '@memory-context/protocol';
import type { EmbeddingProvider } from './provider.js';
import { l2Normalize } from './vector-math.js';

/** Output sizes of common sentence-embedding models, so no probe call is needed for them. */
export const KNOWN_DIMENSIONS: Readonly<Record<string, number>> = {
  'sentence-transformers/all-MiniLM-L6-v2': 384,
  'sentence-transformers/all-MiniLM-L12-v2': 384,
  'sentence-transformers/all-mpnet-base-v2': 768,
  'sentence-transformers/multi-qa-MiniLM-L6-cos-v1': 384,
  'sentence-transformers/paraphrase-MiniLM-L6-v2': 384,
  'BAAI/bge-small-en-v1.5': 384,
  'BAAI/bge-base-en-v1.5': 768,
  'BAAI/bge-large-en-v1.5': 1024,
  'thenlper/gte-small': 384,
  'thenlper/gte-base': 768,
  'intfloat/e5-small-v2': 384,
  'intfloat/e5-base-v2': 768,
};

export interface HuggingFaceOptions {
  /** Model id on the Hub (also names the model an endpoint serves, for the model id). */
  model: string;
  /** Access token (hosted API, or a protected endpoint). */
  token?: string | undefined;
  /** A self-hosted endpoint (Inference Endpoints, text-embeddings-inference) instead of the hosted API. */
  endpointUrl?: string | undefined;
  /** Vector size; known models and a probe call otherwise. */
  dimensions?: number | undefined;
  /** Texts per request (default 32). */
  batchSize?: number;
  /** Retries after a 429, 5xx, timeout or network error (default 4: five attempts). */
  maxRetries?: number;
  /** First backoff delay, doubled each retry; the wait is a random point in its upper half (default 500 ms). */
  baseDelayMs?: number;
  /** Longest single backoff delay, Retry-After included (default 10 s). */
  maxDelayMs?: number;
  /** Time allowed for one request (default 30 s). */
  timeoutMs?: number;
  /** Characters of a text sent at most; the model reads ~256 tokens anyway (default 2000). */
  maxChars?: number;
  /** For tests: replaces global fetch and the backoff sleep. */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** For tests: the random source of the backoff jitter. */
  random?: () => number;
}

/** What went wrong, in `MemctxError.details.reason`. */
export type HuggingFaceFailure = 'auth' | 'quota' | 'rate_limited' | 'unavailable' | 'bad_request' | 'bad_response';

/** Stands in for an empty text, which some servers refuse. */
export const EMPTY_TEXT_PLACEHOLDER = '(empty)';

/**
 * Embeddings from Hugging Face feature extraction (@huggingface/inference),
 * on the hosted Inference API (provider `hf-inference`) or a self-hosted
 * endpoint. Batches requests, mean-pools token-level output, L2-normalises,
 * and retries 429/5xx/timeouts/network errors with bounded exponential
 * backoff. Failures become MemctxError:
 *
 * | HTTP                               | code         | details.reason |
 * | ---------------------------------- | ------------ | -------------- |
 * | 401, 403                           | INTERNAL     | auth           |
 * | 402                                | RATE_LIMITED | quota          |
 * | 429 after the last retry           | RATE_LIMITED | rate_limited   |
 * | 5xx / timeout / network, last retry| INTERNAL     | unavailable    |
 * | other 4xx                          | INTERNAL     | bad_request    |
 * | malformed or wrong-sized vectors   | INTERNAL     | bad_response   |
 *
 * A bad Hugging Face token is the server's misconfiguration, not the
 * caller's: it is INTERNAL, not UNAUTHENTICATED (which would tell an SDK
 * client that its own token is wrong).
 */
export class HuggingFaceEmbeddingProvider implements EmbeddingProvider {
  readonly modelId: string;
  private dims: number | undefined;
  private readonly options: Required<Pick<HuggingFaceOptions, 'batchSize' | 'maxRetries' | 'baseDelayMs' | 'maxDelayMs' | 'timeoutMs' | 'maxChars'>> & HuggingFaceOptions;

  constructor(options: HuggingFaceOptions) {
    this.options = { batchSize: 32, maxRetries: 4, baseDelayMs: 500, maxDelayMs: 10_000, timeoutMs: 30_000, maxChars: 2000, ...options };
    this.modelId = `huggingface:${options.model}`;
    this.dims = options.dimensions ?? KNOWN_DIMENSIONS[options.model];
  }

  /** Creates the provider; for a model of unknown size, one probe request learns it. */
  static async create(options: HuggingFaceOptions): Promise<HuggingFaceEmbeddingProvider> {
    const provider = new HuggingFaceEmbeddingProvider(options);
    if (provider.dims === undefined) await provider.embed(['dimension probe']);
    return provider;
  }

  get dimensions(): number {
    if (this.dims === undefined) throw new MemctxError('INTERNAL', `The size of ${this.options.model} vectors is not known before the first request.`);
    return this.dims;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += this.options.batchSize) {
      const batch = texts.slice(i, i + this.options.batchSize).map((t) => this.prepare(t));
      out.push(...(await this.embedBatch(batch)));
    }
    return out;
  }

  private prepare(text: string): string {
    const trimmed = text.trim();
    if (trimmed.length === 0) return EMPTY_TEXT_PLACEHOLDER;
    return trimmed.length > this.options.maxChars ? trimmed.slice(0, this.options.maxChars) : trimmed;
  }

  private async embedBatch(inputs: string[]): Promise<Float32Array[]> {
    const { maxRetries } = this.options;
    for (let attempt = 0; ; attempt++) {
      let retryAfterMs: number | undefined;
      const baseFetch = this.options.fetch ?? fetch;
      const recordingFetch: typeof fetch = async (input, init) => {
        const response = await baseFetch(input, init);
        retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
        return response;
      };
      try {
        const output = await featureExtraction(
          {
            model: this.options.model,
            inputs,
            truncate: true,
            ...(this.options.token ? { accessToken: this.options.token } : {}),
            ...(this.options.endpointUrl ? { endpointUrl: this.options.endpointUrl } : { provider: 'hf-inference' as const }),
          },
          { retry_on_error: false, fetch: recordingFetch, signal: AbortSignal.timeout(this.options.timeoutMs) },
        );
        return this.toVectors(output, inputs.length);
      } catch (error) {
        const failure = classify(error);
        if (failure.retryable && attempt < maxRetries) {
          const backoff = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** attempt);
          const jittered = Math.round(backoff / 2 + ((this.options.random ?? Math.random)() * backoff) / 2);
          const delay = Math.min(this.options.maxDelayMs, Math.max(jittered, retryAfterMs ?? 0));
          await (this.options.sleep ?? sleep)(delay);
          continue;
        }
        throw this.toError(failure, error, attempt + 1);
      }
    }
  }

  private toVectors(output: unknown, count: number): Float32Array[] {
    const rows = pooled(output, count);
    if (!rows) throw this.badResponse(`expected ${count} vectors, got ${describeShape(output)}`);
    const vectors = rows.map((row) => l2Normalize(Float32Array.from(row)));
    for (const v of vectors) {
      if (this.dims === undefined) this.dims = v.length;
      if (v.length !== this.dims) throw this.badResponse(`got ${v.length}-dimensional vectors, expected ${this.dims}`);
      if (!v.every(Number.isFinite) || v.every((x) => x === 0)) throw this.badResponse('got a zero or non-finite vector');
    }
    return vectors;
  }

  private badResponse(what: string): MemctxError {
    return new MemctxError('INTERNAL', `Hugging Face feature extraction for ${this.options.model} returned malformed output: ${what}.`, {
      provider: 'huggingface',
      reason: 'bad_response' satisfies HuggingFaceFailure,
    });
  }

  private toError(failure: Classified, cause: unknown, attempts: number): MemctxError {
    if (cause instanceof MemctxError) return cause;
    const where = this.options.endpointUrl ? `the endpoint ${this.options.endpointUrl}` : 'the Hugging Face Inference API';
    const status = failure.status !== undefined ? ` (HTTP ${failure.status})` : '';
    const details = { provider: 'huggingface', reason: failure.reason, status: failure.status, attempts };
    const detail = failure.message ? `: ${failure.message}` : '';
    switch (failure.reason) {
      case 'auth':
        return new MemctxError(
          'INTERNAL',
          `${where} refused the credentials${status}${detail}. Set MEMCTX_HF_TOKEN to a valid Hugging Face token with permission to call inference${this.options.endpointUrl ? ' on this endpoint' : ''}.`,
          details,
          { cause },
        );
      case 'quota':
        return new MemctxError('RATE_LIMITED', `${where} reports the account's inference quota or credits are exhausted${status}${detail}.`, details, { cause });
      case 'rate_limited':
        return new MemctxError('RATE_LIMITED', `${where} kept rate-limiting embedding requests${status} after ${attempts} attempts; try again later or lower the request rate.`, details, { cause });
      case 'unavailable':
        return new MemctxError('INTERNAL', `${where} did not answer successfully after ${attempts} attempts${status}${detail}.`, details, { cause });
      case 'bad_request':
        return new MemctxError('INTERNAL', `${where} rejected the embedding request for ${this.options.model}${status}${detail}.`, details, { cause });
      case 'bad_response':
        return new MemctxError('INTERNAL', `${where} returned an unusable response${detail}.`, details, { cause });
    }
  }
}

interface Classified {
  reason: HuggingFaceFailure;
  retryable: boolean;
  status?: number | undefined;
  message?: string | undefined;
}

function classify(error: unknown): Classified {
  if (error instanceof MemctxError) return { reason: 'bad_response', retryable: false, message: error.message };
  if (error instanceof InferenceClientProviderApiError || error instanceof InferenceClientHubApiError) {
    const status = error.httpResponse.status;
    const message = error.message.replace(/^Failed to perform inference: /, '');
    if (status === 401 || status === 403) return { reason: 'auth', retryable: false, status, message };
    if (status === 402) return { reason: 'quota', retryable: false, status, message };
    if (status === 429) return { reason: 'rate_limited', retryable: true, status, message };
    if (status >= 500 || status === 408) return { reason: 'unavailable', retryable: true, status, message };
    return { reason: 'bad_request', retryable: false, status, message };
  }
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'ProviderOutputError') return { reason: 'bad_response', retryable: false, message };
  if (name === 'InputError' || name === 'RoutingError') return { reason: 'bad_request', retryable: false, message };
  // fetch failures (TypeError: fetch failed), timeouts (TimeoutError/AbortError), bodies cut short.
  return { reason: 'unavailable', retryable: true, message };
}

/** One pooled vector per input: n×D as is, n×T×D mean-pooled, D or T×D for a single input. */
function pooled(output: unknown, count: number): number[][] | undefined {
  if (!Array.isArray(output) || output.length === 0) return undefined;
  if (isNumbers(output)) return count === 1 ? [output] : undefined;
  if (output.every((row) => Array.isArray(row) && isNumbers(row))) {
    const rows = output as number[][];
    if (rows.length === count) return rows;
    return count === 1 ? [meanPool(rows)] : undefined;
  }
  if (output.length === count && output.every((seq) => Array.isArray(seq) && seq.length > 0 && seq.every((row) => Array.isArray(row) && isNumbers(row)))) {
    return (output as number[][][]).map(meanPool);
  }
  return undefined;
}

function isNumbers(value: unknown[]): value is number[] {
  return value.length > 0 && value.every((x) => typeof x === 'number');
}

function meanPool(tokens: number[][]): number[] {
  const d = tokens[0]!.length;
  const sum = new Array<number>(d).fill(0);
  for (const t of tokens) for (let k = 0; k < d; k++) sum[k]! += t[k] ?? 0;
  return sum.map((s) => s / tokens.length);
}

function describeShape(value: unknown): string {
  const shape: number[] = [];
  let v = value;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0];
  }
  return shape.length ? `an array of shape [${shape.join(', ')}]` : typeof value;
}

function parseRetryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
