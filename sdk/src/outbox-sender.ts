import type { AnyEntity, EntityKind } from './entities.js';
import { isSdkError } from './errors.js';
import {
  CreateCheckpointDocument,
  CreateSessionDocument,
  DeleteCheckpointDocument,
  DeletePatternDocument,
  DeleteSessionDocument,
  GetCheckpointDocument,
  GetPatternDocument,
  GetSessionDocument,
  RecordPatternDocument,
  UpdateSessionDocument,
  UsePatternDocument,
} from './generated/graphql.js';
import type { OutboxEntry } from './outbox.js';
import type { Transport } from './transport.js';

/** What the server made of a queued write. */
export type SendOutcome = { type: 'entity'; entity: AnyEntity } | { type: 'deleted' };

/** Sends one queued write as its mutation, with the entry's idempotency key. Throws SdkError. */
export async function sendWrite(transport: Transport, entry: OutboxEntry): Promise<SendOutcome> {
  const { write, idempotencyKey } = entry;
  const deleteVars = (w: { id: string; gdprRequest: boolean; reason: string | null }) => ({ id: w.id, gdprRequest: w.gdprRequest, reason: w.reason, idempotencyKey });
  try {
    switch (write.kind) {
      case 'session':
        switch (write.op) {
          case 'create':
            return { type: 'entity', entity: (await transport.request(CreateSessionDocument, { input: { ...write.input, idempotencyKey } })).createSession };
          case 'update':
            return {
              type: 'entity',
              entity: (await transport.request(UpdateSessionDocument, { id: write.id, baseVersion: write.baseVersion, input: { ...write.input, idempotencyKey } })).updateSession,
            };
          case 'delete':
            await transport.request(DeleteSessionDocument, deleteVars(write));
            return { type: 'deleted' };
        }
        break;
      case 'pattern':
        switch (write.op) {
          case 'create':
            return { type: 'entity', entity: (await transport.request(RecordPatternDocument, { input: { ...write.input, idempotencyKey } })).recordPattern.pattern };
          case 'use':
            return { type: 'entity', entity: (await transport.request(UsePatternDocument, { id: write.id, idempotencyKey })).usePattern };
          case 'delete':
            await transport.request(DeletePatternDocument, deleteVars(write));
            return { type: 'deleted' };
        }
        break;
      case 'checkpoint':
        switch (write.op) {
          case 'create':
            return { type: 'entity', entity: (await transport.request(CreateCheckpointDocument, { input: { ...write.input, idempotencyKey } })).createCheckpoint };
          case 'delete':
            await transport.request(DeleteCheckpointDocument, deleteVars(write));
            return { type: 'deleted' };
        }
    }
  } catch (err) {
    // Deleting what is already gone leaves the state the write asked for.
    if (write.op === 'delete' && isSdkError(err, 'NOT_FOUND')) return { type: 'deleted' };
    throw err;
  }
  throw new Error(`Unknown queued write ${JSON.stringify(write)}`);
}

/** The server's current copy, or null when it is gone or not readable. Throws SdkError for other failures. */
export async function fetchServerCopy(transport: Transport, kind: EntityKind, id: string): Promise<AnyEntity | null> {
  try {
    switch (kind) {
      case 'session':
        return (await transport.request(GetSessionDocument, { id })).session;
      case 'pattern':
        return (await transport.request(GetPatternDocument, { id })).pattern;
      case 'checkpoint':
        return (await transport.request(GetCheckpointDocument, { id })).checkpoint;
    }
  } catch (err) {
    if (isSdkError(err, 'NOT_FOUND')) return null;
    throw err;
  }
}
