import { createHash } from 'node:crypto';
import type { Checkpoint, NewCheckpoint, NewPattern, NewSession, Pattern, Session, SessionPatch } from './entities.js';
import type { MessageInput } from './generated/graphql.js';

/**
 * The copies the cache holds between a local write and the server's answer:
 * what the server will return, as far as the client can tell. Inputs are
 * already redacted; the server's answer replaces these once it arrives.
 */

type StoredMessage = { role: string; text: string; at?: string };

/** The content as the server stores it, so bytes and hash match once synced. */
function storedContent(content: readonly MessageInput[]): StoredMessage[] {
  return content.map((m) => (m.at ? { role: m.role, text: m.text, at: new Date(m.at).toISOString() } : { role: m.role, text: m.text }));
}

export function contentFields(content: readonly MessageInput[]): Pick<Session, 'content' | 'contentBytes' | 'contentHash'> {
  const stored = storedContent(content);
  const json = JSON.stringify(stored);
  return {
    content: stored.map((m) => ({ role: m.role, text: m.text, at: m.at ?? null })),
    contentBytes: Buffer.byteLength(json, 'utf8'),
    contentHash: createHash('sha256').update(json).digest('hex'),
  };
}

export function localSession(id: string, submoduleId: string, input: NewSession, redaction: Session['redaction'], now: string): Session {
  return {
    id,
    submoduleId: input.submoduleId ?? submoduleId,
    privacyLevel: input.privacyLevel,
    title: input.title,
    description: input.description ?? null,
    tags: [...new Set(input.tags ?? [])],
    startedAt: input.startedAt ?? null,
    endedAt: input.endedAt ?? null,
    ...contentFields(input.content ?? []),
    redaction,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}

/** A session with a patch applied: fields the patch omits keep their value, as on the server. */
export function patchedSession(current: Session, patch: SessionPatch, now: string): Session {
  return {
    ...current,
    privacyLevel: patch.privacyLevel ?? current.privacyLevel,
    title: patch.title ?? current.title,
    description: patch.description === undefined ? current.description : patch.description,
    tags: patch.tags ? [...new Set(patch.tags)] : current.tags,
    startedAt: patch.startedAt === undefined ? current.startedAt : patch.startedAt,
    endedAt: patch.endedAt === undefined ? current.endedAt : patch.endedAt,
    ...(patch.content ? contentFields(patch.content) : {}),
    version: current.version + 1,
    updatedAt: now,
  };
}

/** The messages of a cached session in the shape a write sends them. */
export function messagesOf(session: Session): MessageInput[] {
  return session.content.map((m) => (m.at ? { role: m.role, text: m.text, at: m.at } : { role: m.role, text: m.text }));
}

export function localPattern(id: string, submoduleId: string, input: NewPattern, now: string): Pattern {
  return {
    id,
    kind: input.kind,
    name: input.name,
    description: input.description ?? null,
    body: input.body ?? null,
    tags: [...new Set(input.tags ?? [])],
    privacyLevel: input.privacyLevel,
    submoduleId: input.submoduleId ?? submoduleId,
    occurrences: 1,
    usageCount: 0,
    firstSeenAt: now,
    lastSeenAt: now,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}

export function localCheckpoint(id: string, submoduleId: string, input: NewCheckpoint, now: string): Checkpoint {
  return {
    id,
    title: input.title ?? (input.auto ? 'Automatic checkpoint (summary comes with the next sync)' : ''),
    takenAt: input.takenAt ?? now,
    gitRef: input.gitRef ?? null,
    summary: input.summary ?? null,
    content: input.content ?? null,
    contentBytes: Buffer.byteLength(input.content ?? '', 'utf8'),
    privacyLevel: input.privacyLevel,
    submoduleId: input.submoduleId ?? submoduleId,
    version: 1,
    createdAt: now,
  };
}
