/**
 * @memory-context/sdk: a typed client for memory-context with an embedded
 * SQLite cache (offline reads, queued writes, sync). See README.md.
 */
export {
  createClient,
  type ClientDependencies,
  type ClientStatus,
  type ConflictsApi,
  type FlushOutcome,
  type MemoryClient,
  type OutboxApi,
  type PullOutcome,
  type RejectedApi,
  type SyncResult,
} from './client.js';
export type { Reachability } from './reachability.js';
export { CACHE_CONFIG_LOCATIONS } from './cache-config-file.js';
export { CLIENT_OPTIONS, DEFAULT_CACHE_RELATIVE_PATH, resolveClientOptions, type ClientOptions, type ResolvedOptions } from './config.js';
export type { Checkpoint, DeleteOptions, EntityKind, NewCheckpoint, NewPattern, NewSession, Pattern, Session, SessionPatch } from './entities.js';
export { SDK_ERROR_CODES, SdkError, isSdkError, type SdkErrorCode, type SdkLocalCode } from './errors.js';
export type { ClientEvents } from './events.js';
export type { FetchPolicy, ListOptions, ListResult, ReadOptions, ReadResult } from './fetch-policy.js';
export type { FlushResult } from './flusher.js';
export type { ConflictRecord, RejectedWrite, Resolution } from './set-aside.js';
export type { OutboxWrite } from './writes.js';
export type { PullProgress, PullResult } from './puller.js';
export type { SearchHit, SearchOptions, SearchResult } from './search.js';
export type { SyncState } from './cache/entity-store.js';
export type { PatternListOptions, PatternsApi } from './patterns-api.js';
export type { SessionsApi } from './sessions-api.js';
export type { CheckpointsApi } from './checkpoints-api.js';
export { checkCache, rebuildCache, type RebuildResult } from './cache/rebuild.js';
export { readExport, type ExportedPending, type ImportResult } from './outbox-transfer.js';
export { importMemoryContext, formatReport, type ImportOptions, type ImportProgress, type ImportReport, type ImportFailure } from './import/index.js';
export { readTokenClaims, type TokenClaims } from './token-claims.js';
export type {
  CheckpointFilter,
  CreateCheckpointInput,
  CreateSessionInput,
  MessageInput,
  PatternFilter,
  PatternKind,
  PatternOrder,
  PrivacyLevel,
  RecordPatternInput,
  SessionFilter,
  UpdateSessionInput,
} from './generated/graphql.js';
