import { and, desc, eq, gt, inArray, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../database.js';
import { sessions } from '../schema/sessions.js';
import { readableBy, type Actor } from './access.js';

/**
 * Read-only lookups of sessions for the subgraphs that link to them
 * (patterns, checkpoints): one central database, so a link is checked
 * against the live row rather than a copy that could lag behind.
 */
export async function readableSessionIds(db: DbOrTx, actor: Actor, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(inArray(sessions.id, [...ids]), isNull(sessions.deletedAt), readableBy(actor, sessions)));
  return new Set(rows.map((r) => r.id));
}

export interface SessionDigest {
  id: string;
  title: string;
  tags: string[];
  privacyLevel: string;
  createdAt: Date;
  messages: number;
}

/** A submodule's live sessions created after `since`, newest last (auto checkpoints). */
export async function sessionsSince(db: DbOrTx, submoduleId: string, since: Date | null, limit = 500): Promise<SessionDigest[]> {
  const conditions = [eq(sessions.submoduleId, submoduleId), isNull(sessions.deletedAt)];
  if (since) conditions.push(gt(sessions.createdAt, since));
  const rows = await db
    .select({ id: sessions.id, title: sessions.title, tags: sessions.tags, privacyLevel: sessions.privacyLevel, createdAt: sessions.createdAt, content: sessions.content })
    .from(sessions)
    .where(and(...conditions))
    .orderBy(desc(sessions.createdAt))
    .limit(limit);
  return rows.reverse().map(({ content, ...r }) => ({ ...r, messages: content?.length ?? 0 }));
}
