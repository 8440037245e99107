import type { EventEmitter } from 'node:events';
import type { Database } from 'better-sqlite3';
import type { Redactor } from '@memory-context/privacy';
import type { EntityStore } from './cache/entity-store.js';
import type { Metadata } from './cache/metadata.js';
import type { ResolvedOptions } from './config.js';
import type { ConflictStore } from './conflicts.js';
import type { SdkError } from './errors.js';
import type { ClientEvents } from './events.js';
import type { Outbox } from './outbox.js';
import type { RejectedStore } from './rejected.js';
import type { Transport } from './transport.js';

/** What every part of a client shares: the cache, the outbox, the transport, the rules. */
export interface ClientCore {
  readonly db: Database;
  readonly store: EntityStore;
  readonly outbox: Outbox;
  readonly metadata: Metadata;
  readonly conflicts: ConflictStore;
  readonly rejected: RejectedStore;
  readonly transport: Transport;
  readonly redactor: Redactor;
  readonly options: ResolvedOptions;
  readonly events: EventEmitter<ClientEvents>;
  /** The submodule new entities belong to: the token's `sub`, else the one the cache was last used with. */
  readonly submoduleId: string;
  now(): number;
  /** Runs after each local write has committed: the pending alert and push on write. */
  afterWrite(): void;
  /** Why the gateway cannot be asked, as far as the last request knows (null: it answered, or none was made). */
  unreachable(): SdkError | null;
}

/** Runs `fn` in one SQLite transaction (BEGIN IMMEDIATE: writers queue instead of failing). */
export function inTransaction<T>(core: Pick<ClientCore, 'db'>, fn: () => T): T {
  return core.db.transaction(fn).immediate();
}
