import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';
import type { EmbeddingProvider } from '../provider.js';
import { CONCEPTS, type Concept } from './concepts.js';
import { DEFAULT_TUNING, LocalModel, type LocalModelTuning } from './model.js';
import { decodeWordVectors, type WordVectors } from './vector-file.js';

/**
 * Version of the local model: bump it whenever the data file, the concept
 * table, the tokenizer or the tuning changes, so stores see a new model id
 * and reindex. `local-provider.test.ts` checks LOCAL_MODEL_FINGERPRINT.
 */
export const LOCAL_MODEL_VERSION = 1;
export const LOCAL_DIMENSIONS = 96;
/** localModelFingerprint() of the model LOCAL_MODEL_VERSION was set for. */
export const LOCAL_MODEL_FINGERPRINT = '48978d330f778197';

/** Texts whose vectors stand for the whole model in its fingerprint. */
const PROBES = [
  'login', 'authentication', 'database', 'k8s', 'getUserById', 'sign-in failed after OAuth callback',
  'Postgres migration locked the sessions table', 'panic: called `Option::unwrap()` on a `None` value',
  'flaky e2e test on CI', 'unknownidentifierxyz', 'OAuthHandler frobnicates widgets', '', 'Ünïcödé テキスト 123',
];

/**
 * A hash of the vectors of a few probe texts (rounded to 4 decimals): it
 * changes whenever the data file, the concept table, the tokenizer or the
 * tuning changes what the model returns.
 */
export function localModelFingerprint(provider: LocalEmbeddingProvider): string {
  const hash = createHash('sha256');
  for (const v of provider.embedSync(PROBES)) hash.update(Array.from(v, (x) => x.toFixed(4)).join(',')).update(';');
  return hash.digest('hex').slice(0, 16);
}

export const LOCAL_VECTORS_FILENAME = `glove6b-${LOCAL_DIMENSIONS}d.mcwv`;

/**
 * Where the shipped vectors are: `libs/embeddings/data/` beside this source,
 * or `data/` next to a bundle that inlined this library (a service's tsup
 * build copies it there, as it does the migrations), or
 * `libs/embeddings/data/` in a folder above (repository or image root).
 */
export function locateVectorsFile(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, '..', '..', 'data', LOCAL_VECTORS_FILENAME), join(here, 'data', LOCAL_VECTORS_FILENAME)];
  for (let dir = here; ; dir = dirname(dir)) {
    candidates.push(join(dir, 'libs', 'embeddings', 'data', LOCAL_VECTORS_FILENAME));
    if (dirname(dir) === dir) break;
  }
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`The local embedding vectors (${LOCAL_VECTORS_FILENAME}) were not found; looked in: ${candidates.slice(0, 3).join(', ')}, …`);
  return found;
}

export const LOCAL_MODEL_ID = `local:glove6b-${LOCAL_DIMENSIONS}d-v${LOCAL_MODEL_VERSION}`;

export interface LocalProviderOptions {
  /** Another word-vector file (tests, experiments); the model id then names it. */
  vectors?: WordVectors;
  concepts?: readonly Concept[];
  tuning?: Partial<LocalModelTuning>;
  modelId?: string;
}

/** Offline, deterministic sentence embeddings from the shipped word vectors and concept table. */
export class LocalEmbeddingProvider implements EmbeddingProvider {
  readonly modelId: string;
  readonly dimensions: number;
  readonly model: LocalModel;

  constructor(vectors: WordVectors, options: Omit<LocalProviderOptions, 'vectors'> = {}) {
    this.model = new LocalModel(vectors, options.concepts ?? CONCEPTS, { ...DEFAULT_TUNING, ...options.tuning });
    this.dimensions = this.model.dimensions;
    this.modelId = options.modelId ?? (vectors.dimensions === LOCAL_DIMENSIONS && !options.concepts && !options.tuning ? LOCAL_MODEL_ID : `local:custom-${vectors.dimensions}d`);
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    return this.embedSync(texts);
  }

  embedSync(texts: readonly string[]): Float32Array[] {
    return texts.map((t) => this.model.embed(t));
  }
}

let shipped: Promise<WordVectors> | undefined;

/** The shipped word vectors, read once per process. */
export function loadShippedVectors(): Promise<WordVectors> {
  shipped ??= readFile(locateVectorsFile()).then((bytes) => decodeWordVectors(bytes));
  return shipped;
}

export function loadShippedVectorsSync(): WordVectors {
  return decodeWordVectors(readFileSync(locateVectorsFile()));
}

export async function createLocalProvider(options: LocalProviderOptions = {}): Promise<LocalEmbeddingProvider> {
  const vectors = options.vectors ?? (await loadShippedVectors());
  return new LocalEmbeddingProvider(vectors, options);
}
