import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { checkpointSessions, sessions, type DbOrTx, type SessionDigest } from '@memory-context/db';
import type { Redactor } from '@memory-context/privacy';
import type { StoredPrivacyLevel } from '@memory-context/protocol';
import { describeSessions, parseAutoMarker } from './auto-summary.js';

interface DigestedRow {
  id: string;
  submoduleId: string;
  privacyLevel: StoredPrivacyLevel;
  takenAt: Date;
  summary: string | null;
}

/**
 * Writes the digest of auto checkpoints at read time from the sessions still
 * linked and live: a deleted session drops out of every summary at once, and
 * no table, archive or index ever holds its title or tags for a checkpoint.
 * As when the digest was taken: only the checkpoint's own submodule's
 * sessions, PRIVATE ones only in a PRIVATE checkpoint, redacted for the
 * checkpoint's level.
 */
export async function withDigests<T extends DigestedRow>(db: DbOrTx, redactor: Redactor, rows: T[]): Promise<T[]> {
  const windows = new Map(rows.flatMap((r) => {
    const window = parseAutoMarker(r.summary);
    return window ? [[r.id, window] as const] : [];
  }));
  if (windows.size === 0) return rows;
  const linked = await db
    .select({
      checkpointId: checkpointSessions.checkpointId,
      id: sessions.id,
      submoduleId: sessions.submoduleId,
      title: sessions.title,
      tags: sessions.tags,
      privacyLevel: sessions.privacyLevel,
      createdAt: sessions.createdAt,
      messages: sql<number>`coalesce(jsonb_array_length(${sessions.content}), 0)`.mapWith(Number),
    })
    .from(checkpointSessions)
    .innerJoin(sessions, eq(sessions.id, checkpointSessions.sessionId))
    .where(and(inArray(checkpointSessions.checkpointId, [...windows.keys()]), isNull(sessions.deletedAt)))
    .orderBy(asc(sessions.createdAt), asc(sessions.id));
  return rows.map((row) => {
    const window = windows.get(row.id);
    if (!window) return row;
    const digests: SessionDigest[] = linked
      .filter((s) => s.checkpointId === row.id && s.submoduleId === row.submoduleId && (row.privacyLevel === 'PRIVATE' || s.privacyLevel !== 'PRIVATE'))
      .map(({ id, title, tags, privacyLevel, createdAt, messages }) => ({ id, title, tags, privacyLevel, createdAt, messages }));
    const digest = redactor.redactText(describeSessions(digests, window.since, row.takenAt, window.truncated).summary, row.privacyLevel).text;
    return { ...row, summary: window.lead === null ? digest : `${window.lead}\n\n${digest}` };
  });
}
