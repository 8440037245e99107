/** NOTIFY channels, one per change feed: appendChange notifies, followers LISTEN. */
export const FEED_CHANNELS = {
  sessions: 'memctx_sessions',
  patterns: 'memctx_patterns',
  checkpoints: 'memctx_checkpoints',
} as const;
