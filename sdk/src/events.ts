import type { SdkError } from './errors.js';
import type { FlushResult } from './flusher.js';
import type { PullResult } from './puller.js';
import type { ConflictRecord, RejectedWrite } from './set-aside.js';

/** Events a client emits (`client.on(name, listener)`). */
export interface ClientEvents {
  /** The server refused a queued write with CONFLICT; the server copy is in the cache, the local change in `conflicts`. */
  conflict: [ConflictRecord];
  /** The server refused a queued write for good; it is in `rejected`. */
  rejected: [RejectedWrite];
  /** Queued writes reached `pendingAlertThreshold` (emitted once per crossing). */
  'pending-alert': [{ pending: number; threshold: number }];
  /** A pull finished. */
  synced: [PullResult];
  /** A flush sent, rejected or set aside at least one write. */
  flushed: [FlushResult];
  /** The gateway became reachable (true) or unreachable (false). */
  online: [boolean];
  /** A background pull or flush failed (the client retries by itself). */
  'sync-error': [SdkError];
}
