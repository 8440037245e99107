import { v7 as uuidv7 } from 'uuid';
import { findArgumentsProblem } from '@memory-context/protocol';
import { SdkError } from './errors.js';
import type { EntityKind } from './entities.js';
import type { CreateCheckpointInput, CreateSessionInput, RecordPatternInput, UpdateSessionInput } from './generated/graphql.js';

/** A queued write: what the flusher sends (remote.ts). Inputs are already redacted. */
export type OutboxWrite =
  | { kind: 'session'; op: 'create'; id: string; input: CreateSessionInput }
  | { kind: 'session'; op: 'update'; id: string; baseVersion: number; input: UpdateSessionInput }
  | { kind: 'session'; op: 'delete'; id: string; gdprRequest: boolean; reason: string | null }
  | { kind: 'pattern'; op: 'create'; id: string; input: RecordPatternInput }
  | { kind: 'pattern'; op: 'use'; id: string }
  | { kind: 'pattern'; op: 'delete'; id: string; gdprRequest: boolean; reason: string | null }
  | { kind: 'checkpoint'; op: 'create'; id: string; input: CreateCheckpointInput }
  | { kind: 'checkpoint'; op: 'delete'; id: string; gdprRequest: boolean; reason: string | null };

export interface OutboxEntry {
  readonly seq: number;
  readonly idempotencyKey: string;
  readonly write: OutboxWrite;
  /** Entities (`kind:id`) that must reach the server first, such as a pattern's source sessions. */
  readonly deps: readonly string[];
  /** Failed attempts in a row with the same error code (the code is the start of `lastError`). */
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly lastError: string | null;
  readonly createdAt: number;
}

export function entityKey(kind: EntityKind, id: string): string {
  return `${kind}:${id}`;
}

/** Keys the server accepts (8–128 of [A-Za-z0-9._:-]); unique per write, kept across retries and restarts. */
export function newIdempotencyKey(): string {
  return `sdk:${uuidv7()}`;
}

/** The write's mutation arguments, named as remote.ts sends them, so problems carry the server's argument path. */
function mutationArguments(write: OutboxWrite): Record<string, unknown> {
  if ('input' in write) return { input: write.input };
  if (write.op === 'delete') return { reason: write.reason };
  return {};
}

/**
 * The server's input rule (@memory-context/protocol), applied before a write
 * is queued: a write it would refuse every time must fail at the call, not
 * wait in the outbox.
 */
export function assertStorable(write: OutboxWrite): void {
  assertStorableArguments(mutationArguments(write));
}

/** The same rule on a write's arguments before they are redacted (the redactor walks JSON recursively). */
export function assertStorableArguments(args: Record<string, unknown>): void {
  const problem = findArgumentsProblem(args);
  if (problem) throw new SdkError('BAD_USER_INPUT', problem.message, { field: problem.path, reason: problem.reason });
}

