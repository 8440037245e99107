import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { MAX_IDS_PER_READ } from '@memory-context/protocol';
import type { AnyEntity, EntityKind } from './entities.js';
import { failureHandling, isServerCode, isSdkError, SdkError, toSdkError } from './errors.js';
import {
  GetCheckpointDocument,
  GetCheckpointsDocument,
  GetPatternDocument,
  GetPatternsDocument,
  GetSessionDocument,
  GetSessionsDocument,
  PullChangesDocument,
  PushWritesDocument,
  type CheckpointWrite,
  type PatternWrite,
  type PullChangesQuery,
  type PullChangesQueryVariables,
  type PushWritesMutation,
  type SessionWrite,
  type WriteStatus,
} from './generated/graphql.js';
import type { Transport } from './transport.js';
import type { OutboxEntry, OutboxWrite } from './writes.js';

/**
 * What the server made of one queued write:
 * - `applied`: taken now or earlier (a replay of its idempotency key); `entity` is the server copy (null: deleted);
 * - `conflict`: its `baseVersion` is behind; `entity` is the current server copy (null: gone or unreadable);
 * - `failed`: refused with a code, or the request carrying it failed (`error.code` says which);
 * - `unsent`: not sent: an earlier half of a halved batch found the gateway down, or failing every write (left queued as it was).
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
   * Sends queued writes in one request (`applySessionWrites`,
   * `applyPatternWrites`, `applyCheckpointWrites`) and returns one answer per
   * write, in order. The flusher never puts two writes of one entity, or a
   * write and one it depends on, in one push. Never throws for a refusal or an
   * unreachable gateway: those are `failed` answers.
   *
   * A whole-request refusal that is not an outage (too large a body, a server
   * bug behind INTERNAL) is no write's fault as such: the batch is halved
   * until the write behind it stands alone, so the others still go.
   */
  async push(entries: readonly OutboxEntry[]): Promise<WriteAnswer[]> {
    const groups = { session: [] as number[], pattern: [] as number[], checkpoint: [] as number[] };
    entries.forEach((entry, i) => groups[entry.write.kind].push(i));
    let data: PushWritesMutation;
    try {
      data = await this.transport.request(PushWritesDocument, {
        sessionWrites: groups.session.map((i) => sessionWrite(entries[i]!)),
        patternWrites: groups.pattern.map((i) => patternWrite(entries[i]!)),
        checkpointWrites: groups.checkpoint.map((i) => checkpointWrite(entries[i]!)),
        withSessions: groups.session.length > 0,
        withPatterns: groups.pattern.length > 0,
        withCheckpoints: groups.checkpoint.length > 0,
      });
    } catch (err) {
      const error = unsupported(toSdkError(err));
      // One subgraph down fails the whole response (its field is non-null): the kinds on the others go on alone.
      if (error.code === 'UNAVAILABLE' && typeof error.details.service === 'string' && KINDS.filter((kind) => groups[kind].length > 0).length > 1) {
        return this.pushByKind(entries, groups);
      }
      if (entries.length > 1 && (failureHandling(error) === 'reject' || error.code === 'INTERNAL')) return this.pushHalves(entries);
      return entries.map(() => ({ status: 'failed', error }));
    }
    const answers: WriteAnswer[] = entries.map(() => ({ status: 'unsent' }));
    const results: Record<EntityKind, Array<{ idempotencyKey: string } & WriteResult> | undefined> = {
      session: data.applySessionWrites?.map((r) => ({ ...r, entity: r.session })),
      pattern: data.applyPatternWrites?.map((r) => ({ ...r, entity: r.pattern, currentVersion: null })),
      checkpoint: data.applyCheckpointWrites?.map((r) => ({ ...r, entity: r.checkpoint, currentVersion: null })),
    };
    for (const kind of ['session', 'pattern', 'checkpoint'] as const) {
      groups[kind].forEach((i, n) => {
        const entry = entries[i]!;
        const result = results[kind]?.[n];
        answers[i] =
          result?.idempotencyKey === entry.idempotencyKey
            ? answerOf(entry.write, result)
            : { status: 'failed', error: new SdkError('INTERNAL', `The gateway's answer to a batch of ${groups[kind].length} ${kind} writes did not match them, write by write.`) };
      });
    }
    return answers;
  }

  /** Each kind in its own request, sessions first (patterns and checkpoints may name them as sources). */
  private async pushByKind(entries: readonly OutboxEntry[], groups: Record<EntityKind, number[]>): Promise<WriteAnswer[]> {
    const answers: WriteAnswer[] = entries.map(() => ({ status: 'unsent' }));
    for (const kind of KINDS) {
      const indexes = groups[kind];
      if (indexes.length === 0) continue;
      const kindAnswers = await this.push(indexes.map((i) => entries[i]!));
      indexes.forEach((i, n) => (answers[i] = kindAnswers[n]!));
    }
    return answers;
  }

  private async pushHalves(entries: readonly OutboxEntry[]): Promise<WriteAnswer[]> {
    const middle = Math.ceil(entries.length / 2);
    const first = await this.push(entries.slice(0, middle));
    const rest = entries.slice(middle).map((): WriteAnswer => ({ status: 'unsent' }));
    // The gateway is down, busy or refuses the token: the rest would fail the same way.
    if (first.some((a) => a.status === 'failed' && stopsPush(a.error))) return [...first, ...rest];
    // INTERNAL for every write of a half that was itself halved: the server fails whatever it gets, so the rest waits for
    // the next flush (a search for one bad write costs about 2·log2(n) requests, never 2n).
    if (middle > 1 && first.every((a) => a.status === 'unsent' || (a.status === 'failed' && a.error.code === 'INTERNAL'))) return [...first, ...rest];
    return [...first, ...(await this.push(entries.slice(middle)))];
  }

  /** One page of every feed still behind, in one request. */
  pullPage(request: PullRequest): Promise<PullChangesQuery> {
    return this.transport.request(PullChangesDocument, request);
  }

  /**
   * The server's current copies of many entities of one kind, in the order of
   * `ids` (null: gone or not readable), MAX_IDS_PER_READ ids a request
   * (`sessionsByIds`, `patternsByIds`, `checkpointsByIds`). A gateway older
   * than those fields is asked id by id. Throws SdkError as `fetchEntity` does.
   */
  async fetchEntities(kind: EntityKind, ids: readonly string[]): Promise<Array<AnyEntity | null>> {
    const out: Array<AnyEntity | null> = [];
    for (let start = 0; start < ids.length; start += MAX_IDS_PER_READ) {
      const chunk = ids.slice(start, start + MAX_IDS_PER_READ);
      try {
        out.push(...(await this.fetchChunk(kind, chunk)));
      } catch (err) {
        if (toSdkError(err).details.originalCode !== 'GRAPHQL_VALIDATION_FAILED') throw err;
        for (const id of chunk) out.push(await this.fetchEntity(kind, id));
      }
    }
    return out;
  }

  private async fetchChunk(kind: EntityKind, ids: string[]): Promise<Array<AnyEntity | null>> {
    switch (kind) {
      case 'session':
        return (await this.transport.request(GetSessionsDocument, { ids })).sessionsByIds;
      case 'pattern':
        return (await this.transport.request(GetPatternsDocument, { ids })).patternsByIds;
      case 'checkpoint':
        return (await this.transport.request(GetCheckpointsDocument, { ids })).checkpointsByIds;
    }
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
}

const KINDS = ['session', 'pattern', 'checkpoint'] as const;

/**
 * A gateway that does not know the batched push (a server older than the
 * SDK) refuses the document itself: no write is at fault, so none may be
 * rejected. It is UNAVAILABLE for pushing: the queue waits, as for an outage.
 */
function unsupported(error: SdkError): SdkError {
  const original = error.details.originalCode;
  if (original !== 'GRAPHQL_VALIDATION_FAILED' && original !== 'GRAPHQL_PARSE_FAILED') return error;
  return new SdkError('UNAVAILABLE', `The gateway does not accept the batched push (applySessionWrites, applyPatternWrites, applyCheckpointWrites): ${error.message} Writes stay queued until it does.`, { ...error.details, reason: 'batched-push-unsupported' }, { cause: error });
}

/** One result of an `apply…Writes` mutation, whatever the kind. */
interface WriteResult {
  status: WriteStatus;
  entity: AnyEntity | null;
  currentVersion: number | null;
  code: string | null;
  message: string | null;
}

function answerOf(write: OutboxWrite, result: WriteResult): WriteAnswer {
  const message = result.message ?? `The server answered ${result.status}${result.code ? ` (${result.code})` : ''}.`;
  switch (result.status) {
    case 'APPLIED':
    case 'REPLAYED':
      return { status: 'applied', entity: result.entity };
    case 'CONFLICT':
      return { status: 'conflict', entity: result.entity, currentVersion: result.currentVersion, message };
    case 'REJECTED': {
      // Deleting what is already gone leaves the state the write asked for.
      if (write.op === 'delete' && result.code === 'NOT_FOUND') return { status: 'applied', entity: null };
      const code = result.code ?? '';
      const error = isServerCode(code) ? new SdkError(code, message) : new SdkError('BAD_USER_INPUT', message, { originalCode: result.code });
      return { status: 'failed', error };
    }
  }
}

function deleteOf(write: { id: string; gdprRequest: boolean; reason: string | null }) {
  return { id: write.id, gdprRequest: write.gdprRequest, reason: write.reason };
}

function sessionWrite({ idempotencyKey, write }: OutboxEntry): SessionWrite {
  if (write.kind !== 'session') throw new Error(`Not a session write: ${write.kind}`);
  switch (write.op) {
    case 'create':
      return { idempotencyKey, create: write.input };
    case 'update':
      return { idempotencyKey, update: { id: write.id, baseVersion: write.baseVersion, input: write.input } };
    case 'delete':
      return { idempotencyKey, delete: deleteOf(write) };
  }
}

function patternWrite({ idempotencyKey, write }: OutboxEntry): PatternWrite {
  if (write.kind !== 'pattern') throw new Error(`Not a pattern write: ${write.kind}`);
  switch (write.op) {
    case 'create':
      return { idempotencyKey, record: write.input };
    case 'use':
      return { idempotencyKey, use: { id: write.id } };
    case 'delete':
      return { idempotencyKey, delete: deleteOf(write) };
  }
}

function checkpointWrite({ idempotencyKey, write }: OutboxEntry): CheckpointWrite {
  if (write.kind !== 'checkpoint') throw new Error(`Not a checkpoint write: ${write.kind}`);
  switch (write.op) {
    case 'create':
      return { idempotencyKey, create: write.input };
    case 'delete':
      return { idempotencyKey, delete: deleteOf(write) };
  }
}

/** Failures that hold for every write of a push, not for one write. */
export function stopsPush(error: SdkError): boolean {
  return ['NETWORK_ERROR', 'UNAVAILABLE', 'RATE_LIMITED', 'UNAUTHENTICATED', 'NOT_CONFIGURED'].includes(error.code);
}
