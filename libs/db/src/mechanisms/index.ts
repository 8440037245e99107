export { type Actor, type OwnedColumns, readableBy, canRead, assertCanWrite } from './access.js';
export { ensureSubmodule, touchSubmoduleSync } from './registry.js';
export { appendChange, appendChanges, readFeed, readEntityChanges, feedPosition, type ChangeRecord, type EntityChangePage, type FeedEntry, type FeedPage } from './change-feed.js';
export { runIdempotent, runIdempotentIn, claimKeys, recordResults, assertIdempotencyKey, hashRequest, canonicalJson, expireIdempotencyKeys, IDEMPOTENCY_KEY, type IdempotentRequest, type IdempotentOutcome, type Performed } from './idempotency.js';
export { archiveEntity, purgeArchive, type ArchiveEntry } from './archive.js';
export { startFeedFollower, feedLag, setFeedCursor, type FeedLag, type FeedFollower, type FeedFollowerOptions, type RawChange } from './feed-follower.js';
export { readableSessionIds, sessionsSince, type SessionDigest } from './session-refs.js';
export { compactFeed, feedHorizon, beginFeedRead, FEED_HORIZON_CONSUMER, type FeedRetention, type CompactionResult, type FeedRead } from './feed-retention.js';
export { FEED_CHANNELS } from './feed-channels.js';
export { rawRows } from './raw-rows.js';
export { insertRecords, recordsInsert, jsonbRecordset, type InsertRecordsOptions } from './insert-records.js';
export {
  afterPosition,
  atOrBeforePosition,
  committedBefore,
  compareFeedPositions,
  encodeFeedCursor,
  parseFeedCursor,
  FEED_START,
  type FeedPosition,
  type ParsedFeedCursor,
  type PositionColumns,
} from './feed-position.js';
export { advanceFeedClock } from './feed-clock.js';
