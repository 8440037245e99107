import type { Config } from '@memory-context/config';
import { MemctxError } from '@memory-context/protocol';
import { HuggingFaceEmbeddingProvider } from './huggingface.js';
import { createLocalProvider } from './local/local-provider.js';
import type { EmbeddingProvider } from './provider.js';

export type EmbeddingsConfig = Pick<Config, 'embeddings' | 'hfToken' | 'hfEndpointUrl' | 'hfModel'>;

/**
 * The configured provider: `local` (default; shipped word vectors, offline)
 * or `huggingface` (hosted Inference API with MEMCTX_HF_TOKEN, or the
 * endpoint at MEMCTX_HF_ENDPOINT_URL).
 */
export async function createEmbeddingProvider(config: EmbeddingsConfig): Promise<EmbeddingProvider> {
  switch (config.embeddings) {
    case 'local':
      return createLocalProvider();
    case 'huggingface':
      if (!config.hfToken && !config.hfEndpointUrl) {
        throw new MemctxError(
          'INTERNAL',
          'MEMCTX_EMBEDDINGS=huggingface needs MEMCTX_HF_TOKEN (hosted Inference API) or MEMCTX_HF_ENDPOINT_URL (self-hosted endpoint).',
          { provider: 'huggingface', reason: 'auth' },
        );
      }
      return HuggingFaceEmbeddingProvider.create({ model: config.hfModel, token: config.hfToken, endpointUrl: config.hfEndpointUrl });
    default:
      throw new MemctxError('INTERNAL', `Unknown embedding provider "${String(config.embeddings)}": use local or huggingface.`);
  }
}
