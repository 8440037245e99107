export { createPatternsSubgraph, type PatternsSubgraph } from './subgraph.js';
export { PatternStore, PATTERNS_NOTIFY_CHANNEL, type PatternRow } from './pattern-store.js';
export { patternFingerprint, normalizeText, mergeScope } from './pattern-fingerprint.js';
