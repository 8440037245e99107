/** For tests that drive an indexer of their own over the stack's database. */
export { Indexer } from './indexer.js';
export { DocumentIndex as DocumentIndexForTests } from './document-index.js';
export { RANKING, rankCandidates, type RankingWeights } from './ranking.js';
export type { Candidates } from './search-engine.js';
