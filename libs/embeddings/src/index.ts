export type { EmbeddingProvider } from './provider.js';
export { createEmbeddingProvider, type EmbeddingsConfig } from './create.js';
export {
  createLocalProvider,
  LocalEmbeddingProvider,
  loadShippedVectors,
  LOCAL_DIMENSIONS,
  LOCAL_MODEL_ID,
  LOCAL_MODEL_VERSION,
  type LocalProviderOptions,
} from './local/local-provider.js';
export { CONCEPTS, type Concept } from './local/concepts.js';
export { DEFAULT_TUNING, type LocalModelTuning } from './local/model.js';
export {
  EMPTY_TEXT_PLACEHOLDER,
  HuggingFaceEmbeddingProvider,
  KNOWN_DIMENSIONS,
  type HuggingFaceFailure,
  type HuggingFaceOptions,
} from './huggingface.js';
export { cosine, l2Normalize } from './vector-math.js';
