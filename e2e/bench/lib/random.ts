/**
 * The benches' seeded generator (mulberry32): every run writes the same data.
 * It is the vectors test data's (libs/vectors/src/test-data.ts), so the tree's test data has one copy;
 * libs/embeddings' local hash keeps its own on purpose, since it makes the
 * vectors and changing it would change every stored embedding.
 */
export { rng as seededRandom } from '@memory-context/vectors/test-data';
