export { type Actor, readableBy, canRead, assertCanWrite } from './access.js';
export { ensureSubmodule, touchSubmoduleSync } from './registry.js';
export { appendChange, readFeed, parseFeedCursor, type ChangeRecord, type FeedEntry, type FeedPage } from './change-feed.js';
export { runIdempotent, hashRequest, canonicalJson, expireIdempotencyKeys, IDEMPOTENCY_KEY, type IdempotentRequest, type IdempotentOutcome } from './idempotency.js';
export { archiveEntity, purgeArchive, type ArchiveEntry } from './archive.js';
