import type { Redactor } from '@memory-context/privacy';
import type { LocalStore } from './cache/local-store.js';
import type { Clock } from './clock.js';
import type { ResolvedOptions } from './config.js';
import type { SdkError } from './errors.js';
import type { Remote } from './remote.js';

/**
 * What the public API's namespaces (sessions, patterns, checkpoints, search,
 * conflicts, rejected, outbox) work with. client.ts builds it; the flusher
 * and the puller get only the store, the remote, the clock and their options.
 */
export interface ClientContext {
  readonly store: LocalStore;
  readonly remote: Remote;
  readonly clock: Clock;
  readonly redactor: Redactor;
  readonly options: ResolvedOptions;
  /** The submodule new entities belong to: the token's `sub`, else the one the cache was last used with. */
  readonly submoduleId: string;
  /** Runs after each local write has committed: the pending alert and push on write (client.ts). */
  afterWrite(): void;
  /** Why the gateway cannot be asked, as far as the last request knows (null: it answered, or none was made). */
  unreachable(): SdkError | null;
}
