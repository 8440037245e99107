export { createSearchSubgraph, type SearchSubgraph } from './subgraph.js';
export { Indexer } from './indexer.js';
export { SearchEngine, type Hit, type SearchMode } from './search-engine.js';
export { reciprocalRankFusion, RRF_K } from './fusion.js';
