/**
 * Turns texts into vectors. Implementations: `local` (offline, shipped with
 * the repository) and `huggingface` (@huggingface/inference). The search
 * service knows nothing of which one it has.
 */
export interface EmbeddingProvider {
  /** Stored with every vector; a different model id means the index must be rebuilt. */
  readonly modelId: string;
  readonly dimensions: number;
  /** One L2-normalised vector per text, in order. Batching and retries are the provider's job. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}
