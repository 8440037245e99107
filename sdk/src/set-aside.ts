import type { AnyEntity, EntityKind } from './entities.js';
import type { SdkErrorCode } from './errors.js';
import type { OutboxWrite } from './writes.js';

/**
 * Queued writes the server did not take, kept apart from the outbox so
 * nothing is lost silently (ARCHITECTURE §6). Both kinds are stored by one
 * implementation (cache/set-aside-table.ts), keyed by their id, so importing
 * an export twice never adds one twice.
 */

/**
 * A local change the server refused with CONFLICT ("central wins"):
 * the cache holds the server copy, this record holds what the client wanted.
 */
export interface ConflictRecord {
  id: string;
  kind: EntityKind;
  entityId: string;
  /** The queued writes set aside, oldest first (the conflicting one and any after it). */
  localWrites: OutboxWrite[];
  /** The version the local change was based on. */
  baseVersion: number | null;
  /** The server's version when the conflict was found (null: the entity is gone). */
  serverVersion: number | null;
  serverEntity: AnyEntity | null;
  message: string;
  detectedAt: string;
}

export type Resolution = 'reapply' | 'discard';

/** A queued write the server refused for good (validation, access, size). */
export interface RejectedWrite {
  id: string;
  kind: EntityKind;
  op: OutboxWrite['op'];
  entityId: string;
  idempotencyKey: string;
  write: OutboxWrite;
  code: SdkErrorCode;
  reason: string;
  rejectedAt: string;
}
