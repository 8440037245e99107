import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { AnyEntity, EntityKind } from './entities.js';
import { isSdkError, toSdkError, type SdkError } from './errors.js';
import {
  CreateCheckpointDocument,
  CreateSessionDocument,
  DeleteCheckpointDocument,
  DeletePatternDocument,
  DeleteSessionDocument,
  GetCheckpointDocument,
  GetPatternDocument,
  GetSessionDocument,
  PullChangesDocument,
  RecordPatternDocument,
  UpdateSessionDocument,
  UsePatternDocument,
  type PullChangesQuery,
  type PullChangesQueryVariables,
} from './generated/graphql.js';
import type { Transport } from './transport.js';
import type { OutboxEntry } from './writes.js';

/**
 * What the server made of one queued write:
 * - `applied`: taken now or earlier (a replay of its idempotency key); `entity` is the server copy (null: deleted);
 * - `conflict`: its `baseVersion` is behind; `entity` is the current server copy (null: gone or unreadable);
 * - `failed`: refused with a code, or the request carrying it failed (`error.code` says which);
 * - `unsent`: not sent, because an earlier write of the same request failed (left queued as it was).
 */
export type WriteAnswer =
  | { status: 'applied'; entity: AnyEntity | null }
  | { status: 'conflict'; entity: AnyEntity | null; currentVersion: number | null; message: string }
  | { status: 'failed'; error: SdkError }
  | { status: 'unsent' };

/** One pull request: the cursor of each feed, and which feeds are still behind. */
export type PullRequest = PullChangesQueryVariables;

/**
 * The gateway as the sync engine sees it: the push of queued writes, the
 * pull of the change feeds, single reads; and the transport for the typed
 * reads of the public API.
 */
export class Remote {
  constructor(readonly transport: Transport) {}

  request<TData, TVariables extends Record<string, unknown>>(document: TypedDocumentNode<TData, TVariables>, variables: TVariables): Promise<TData> {
    return this.transport.request(document, variables);
  }

  /**
   * Sends queued writes of different entities (the flusher never puts two
   * writes of one entity, or a write and one it depends on, in one push) and
   * returns one answer per write, in order. Never throws for a refusal or an
   * unreachable gateway: those are `failed` answers.
   */
  async push(entries: readonly OutboxEntry[], concurrency: number): Promise<WriteAnswer[]> {
    const answers: WriteAnswer[] = entries.map(() => ({ status: 'unsent' }));
    let stopped = false;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (!stopped && next < entries.length) {
        const i = next++;
        const answer = await this.sendOne(entries[i]!);
        answers[i] = answer;
        // The gateway is down, busy or refuses the token: the rest would fail the same way.
        if (answer.status === 'failed' && stopsPush(answer.error)) stopped = true;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, entries.length) }, worker));
    return answers;
  }

  /** One page of every feed still behind, in one request. */
  pullPage(request: PullRequest): Promise<PullChangesQuery> {
    return this.transport.request(PullChangesDocument, request);
  }

  /** The server's current copy, or null when it is gone or not readable. Throws SdkError for other failures. */
  async fetchEntity(kind: EntityKind, id: string): Promise<AnyEntity | null> {
    try {
      switch (kind) {
        case 'session':
          return (await this.transport.request(GetSessionDocument, { id })).session;
        case 'pattern':
          return (await this.transport.request(GetPatternDocument, { id })).pattern;
        case 'checkpoint':
          return (await this.transport.request(GetCheckpointDocument, { id })).checkpoint;
      }
    } catch (err) {
      if (isSdkError(err, 'NOT_FOUND')) return null;
      throw err;
    }
  }

  private async sendOne(entry: OutboxEntry): Promise<WriteAnswer> {
    try {
      return { status: 'applied', entity: await this.mutate(entry) };
    } catch (err) {
      const error = toSdkError(err);
      // Deleting what is already gone leaves the state the write asked for.
      if (entry.write.op === 'delete' && error.code === 'NOT_FOUND') return { status: 'applied', entity: null };
      if (error.code !== 'CONFLICT') return { status: 'failed', error };
      const currentVersion = typeof error.details.currentVersion === 'number' ? error.details.currentVersion : null;
      let entity: AnyEntity | null = null;
      try {
        entity = await this.fetchEntity(entry.write.kind, entry.write.id);
      } catch {
        entity = null; // the conflict is recorded all the same; the next read or pull brings the copy
      }
      return { status: 'conflict', entity, currentVersion, message: error.message };
    }
  }

  /** One queued write as its mutation, with the entry's idempotency key. Resolves with the server copy (null: deleted). */
  private async mutate(entry: OutboxEntry): Promise<AnyEntity | null> {
    const { write, idempotencyKey } = entry;
    const deleteVars = (w: { id: string; gdprRequest: boolean; reason: string | null }) => ({ id: w.id, gdprRequest: w.gdprRequest, reason: w.reason, idempotencyKey });
    const t = this.transport;
    switch (write.kind) {
      case 'session':
        switch (write.op) {
          case 'create':
            return (await t.request(CreateSessionDocument, { input: { ...write.input, idempotencyKey } })).createSession;
          case 'update':
            return (await t.request(UpdateSessionDocument, { id: write.id, baseVersion: write.baseVersion, input: { ...write.input, idempotencyKey } })).updateSession;
          case 'delete':
            await t.request(DeleteSessionDocument, deleteVars(write));
            return null;
        }
        break;
      case 'pattern':
        switch (write.op) {
          case 'create':
            return (await t.request(RecordPatternDocument, { input: { ...write.input, idempotencyKey } })).recordPattern.pattern;
          case 'use':
            return (await t.request(UsePatternDocument, { id: write.id, idempotencyKey })).usePattern;
          case 'delete':
            await t.request(DeletePatternDocument, deleteVars(write));
            return null;
        }
        break;
      case 'checkpoint':
        switch (write.op) {
          case 'create':
            return (await t.request(CreateCheckpointDocument, { input: { ...write.input, idempotencyKey } })).createCheckpoint;
          case 'delete':
            await t.request(DeleteCheckpointDocument, deleteVars(write));
            return null;
        }
    }
    throw new Error(`Unknown queued write ${JSON.stringify(write)}`);
  }
}

/** Failures that hold for every write of a push, not for one write. */
export function stopsPush(error: SdkError): boolean {
  return ['NETWORK_ERROR', 'UNAVAILABLE', 'RATE_LIMITED', 'UNAUTHENTICATED', 'NOT_CONFIGURED'].includes(error.code);
}
