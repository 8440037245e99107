import { mergeSummaries } from '@memory-context/privacy';
import { PRIVACY_LEVELS } from '@memory-context/protocol';
import { v7 as uuidv7 } from 'uuid';
import type { SyncState } from './cache/entity-store.js';
import type { ClientContext } from './client-context.js';
import { isoNow } from './clock.js';
import type { Checkpoint, DeleteOptions, EntityKind, NewCheckpoint, NewPattern, NewSession, Pattern, Session, SessionPatch } from './entities.js';
import { SdkError } from './errors.js';
import { contentFields, localCheckpoint, localPattern, localSession, messagesOf, patchedSession } from './local-copies.js';
import { assertStorableArguments, entityKey } from './writes.js';
import { redactFields, redactSessionText, summaryCounts, summaryOf } from './redaction.js';

/**
 * Every local write: redact, change the cached copy and queue the write in
 * one SQLite transaction, then return. EPHEMERAL entities are cached only.
 */

/** A level the redaction cannot apply fails here, before anything is cached or queued (the server validates the rest). */
function checkLevel(level: unknown): void {
  if (!(PRIVACY_LEVELS as readonly unknown[]).includes(level)) {
    throw new SdkError('BAD_USER_INPUT', `privacyLevel must be one of ${PRIVACY_LEVELS.join(', ')}, got ${JSON.stringify(level)}.`, { field: 'privacyLevel' });
  }
}

/** With offlineQueue off, a write the client knows it cannot send fails instead of waiting in the queue. */
function checkQueueing(core: ClientContext, level: string): void {
  if (core.options.offlineQueue || level === 'EPHEMERAL') return;
  const down = core.unreachable();
  if (down) throw new SdkError(down.code, `${down.message} The offline queue is off (offlineQueue, sync.offline_queue_enabled): nothing was written.`, down.details);
}

function requireSubmodule(core: ClientContext): string {
  if (!core.submoduleId) throw new SdkError('NOT_CONFIGURED', 'No token is configured, so the client does not know which submodule it writes as (MEMCTX_TOKEN or `memctx login`).');
  return core.submoduleId;
}

export function createSession(core: ClientContext, input: NewSession): Session {
  assertStorableArguments({ input: input });
  checkLevel(input.privacyLevel);
  checkQueueing(core, input.privacyLevel);
  const id = input.id ?? uuidv7();
  const { fields, summary } = redactSessionText(core.redactor, input.privacyLevel, input);
  const session = localSession(id, requireSubmodule(core), fields, summaryOf(summary), isoNow(core.clock));
  core.store.transaction(() => {
    if (input.privacyLevel === 'EPHEMERAL') {
      core.store.entities.put('session', session, 'local');
      return;
    }
    core.store.entities.put('session', session, 'pending');
    core.store.outbox.enqueue({ kind: 'session', op: 'create', id, input: { ...fields, id } });
  });
  core.afterWrite();
  return session;
}

/** Applies a patch to the cached session `current` (the caller made sure it is cached). */
export function updateSession(core: ClientContext, current: Session, syncState: SyncState, patch: SessionPatch): Session {
  assertStorableArguments({ input: patch });
  const level = patch.privacyLevel ?? current.privacyLevel;
  checkLevel(level);
  checkQueueing(core, level);
  const wasLocal = syncState === 'local';
  if (level === 'EPHEMERAL' && !wasLocal) {
    throw new SdkError('EPHEMERAL_NOT_PERSISTED', `Session ${current.id} is stored centrally; it cannot become EPHEMERAL. Delete it and create an EPHEMERAL one instead.`);
  }
  const { fields: redactedPatch, summary: patchSummary } = redactSessionText(core.redactor, level, patch);
  const merged = patchedSession(current, redactedPatch, isoNow(core.clock));
  // Stored text is redacted again for the resulting level, as the server does when a level is raised.
  const { fields: text, summary } = redactSessionText(core.redactor, level, { title: merged.title, description: merged.description, tags: merged.tags, content: messagesOf(merged) });
  const session: Session = {
    ...merged,
    title: text.title,
    description: text.description,
    tags: text.tags,
    ...contentFields(text.content),
    redaction: patch.content ? summaryOf(summary) : summaryOf(mergeSummaries(summaryCounts(current.redaction), patchSummary)),
  };
  core.store.transaction(() => {
    if (level === 'EPHEMERAL') {
      core.store.entities.put('session', { ...session, version: 1 }, 'local');
      return;
    }
    core.store.entities.put('session', wasLocal ? { ...session, version: 1 } : session, 'pending');
    if (wasLocal) {
      // An EPHEMERAL session given a stored level is created on the server now.
      const { id, submoduleId, privacyLevel, title, description, tags, startedAt, endedAt } = session;
      core.store.outbox.enqueue({ kind: 'session', op: 'create', id, input: { id, submoduleId, privacyLevel, title, description, tags, startedAt, endedAt, content: messagesOf(session) } });
    } else {
      core.store.outbox.enqueue({ kind: 'session', op: 'update', id: current.id, baseVersion: current.version, input: redactedPatch });
    }
  });
  core.afterWrite();
  return wasLocal ? { ...session, version: 1 } : session;
}

export function deleteEntity(core: ClientContext, kind: EntityKind, id: string, options: DeleteOptions = {}): void {
  assertStorableArguments({ reason: options.reason });
  if (options.gdprRequest && !options.reason) throw new SdkError('BAD_USER_INPUT', 'A GDPR deletion needs a reason (options.reason); it is recorded in the audit trail.');
  const cached = core.store.entities.get(kind, id);
  if (cached?.syncState !== 'local') checkQueueing(core, 'stored');
  core.store.transaction(() => {
    core.store.entities.remove(kind, id);
    if (cached?.syncState === 'local') return;
    core.store.outbox.enqueue({ kind, op: 'delete', id, gdprRequest: options.gdprRequest ?? false, reason: options.reason ?? null });
  });
  core.afterWrite();
}

export function recordPattern(core: ClientContext, input: NewPattern): Pattern {
  assertStorableArguments({ input: input });
  checkLevel(input.privacyLevel);
  checkQueueing(core, input.privacyLevel);
  const id = input.id ?? uuidv7();
  const fields = redactFields(core.redactor, input.privacyLevel, input, ['name', 'description', 'body', 'tags']);
  const pattern = localPattern(id, requireSubmodule(core), fields, isoNow(core.clock));
  core.store.transaction(() => {
    if (input.privacyLevel === 'EPHEMERAL') {
      core.store.entities.put('pattern', pattern, 'local');
      return;
    }
    core.store.entities.put('pattern', pattern, 'pending');
    const deps = (input.sourceSessionIds ?? []).map((s) => entityKey('session', s));
    core.store.outbox.enqueue({ kind: 'pattern', op: 'create', id, input: { ...fields, id } }, { deps });
  });
  core.afterWrite();
  return pattern;
}

export function usePattern(core: ClientContext, id: string): Pattern | undefined {
  const cached = core.store.entities.get('pattern', id);
  if (cached?.syncState !== 'local') checkQueueing(core, 'stored');
  const used = cached ? { ...cached.entity, usageCount: cached.entity.usageCount + 1 } : undefined;
  core.store.transaction(() => {
    if (cached?.syncState === 'local') {
      if (used) core.store.entities.put('pattern', used, 'local');
      return;
    }
    if (used) core.store.entities.put('pattern', used, 'pending');
    core.store.outbox.enqueue({ kind: 'pattern', op: 'use', id });
  });
  core.afterWrite();
  return used;
}

export function createCheckpoint(core: ClientContext, input: NewCheckpoint): Checkpoint {
  assertStorableArguments({ input: input });
  checkLevel(input.privacyLevel);
  checkQueueing(core, input.privacyLevel);
  const id = input.id ?? uuidv7();
  const fields = redactFields(core.redactor, input.privacyLevel, input, ['title', 'summary', 'content']);
  const checkpoint = localCheckpoint(id, requireSubmodule(core), fields, isoNow(core.clock));
  core.store.transaction(() => {
    if (input.privacyLevel === 'EPHEMERAL') {
      core.store.entities.put('checkpoint', checkpoint, 'local');
      return;
    }
    core.store.entities.put('checkpoint', checkpoint, 'pending');
    const deps = (input.sessionIds ?? []).map((s) => entityKey('session', s));
    core.store.outbox.enqueue({ kind: 'checkpoint', op: 'create', id, input: { ...fields, id } }, { deps });
  });
  core.afterWrite();
  return checkpoint;
}
