import type { Database } from '@memory-context/db';
import { describe, expect, it } from '@jest/globals';
import { createVectorStore, type VectorsConfig } from './create.js';

const base: VectorsConfig = { vectorStore: undefined, qdrantUrl: undefined, qdrantApiKey: undefined, qdrantCollection: 'memory_context' };
const fakeDb = (hasVector: boolean) => ({ kind: 'postgres', hasVector: async () => hasVector }) as unknown as Database;

describe('createVectorStore', () => {
  it('uses pgvector where the database has it, the exact store otherwise', async () => {
    expect((await createVectorStore(base, fakeDb(true))).name).toBe('pgvector');
    expect((await createVectorStore(base, fakeDb(false))).name).toBe('exact');
  });

  it('uses qdrant when configured, and needs its URL', async () => {
    const store = await createVectorStore({ ...base, vectorStore: 'qdrant', qdrantUrl: 'http://127.0.0.1:6333' }, fakeDb(true));
    expect(store.name).toBe('qdrant');
    await expect(createVectorStore({ ...base, vectorStore: 'qdrant' }, fakeDb(true))).rejects.toThrow(/MEMCTX_QDRANT_URL/);
  });

  it('refuses pgvector on a database without the extension', async () => {
    await expect(createVectorStore({ ...base, vectorStore: 'pgvector' }, fakeDb(false))).rejects.toThrow(/no pgvector/);
  });
});
