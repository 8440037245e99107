import { and, asc, desc, eq, gte, inArray, isNull, lt, max, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { v7 as uuidv7 } from 'uuid';
import {
  appendChange,
  archiveEntity,
  checkpointArchive,
  checkpointChanges,
  checkpoints,
  checkpointSessions,
  FEED_CHANNELS,
  readableBy,
  readableSessionIds,
  readEntityChanges,
  sessions,
  sessionsSince,
  type Actor,
  type Db,
  type DbOrTx,
  type SessionDigest,
  type Tx,
} from '@memory-context/db';
import { assertCanWrite, assertStorable, canRead, idTaken } from '@memory-context/access';
import type { Redactor } from '@memory-context/privacy';
import { MemctxError, type StoredPrivacyLevel } from '@memory-context/protocol';
import { AUTO_SESSION_LIMIT, autoMarker, describeSessions } from './auto-summary.js';
import { withDigests } from './checkpoint-digest.js';
import { assertContentSize, contentHash, contentSize, redactCheckpoint } from './checkpoint-content.js';
import { decodeCheckpointCursor, encodeCheckpointCursor } from './checkpoint-cursor.js';
import type { CreateCheckpointInput } from './checkpoint-input.js';

export type CheckpointRow = typeof checkpoints.$inferSelect;

export interface CheckpointFilter {
  submodules?: string[] | null;
  privacyLevels?: string[] | null;
  gitRef?: string | null;
  from?: Date | null;
  to?: Date | null;
}

export interface StoreLimits {
  maxContentBytes: number;
  retentionSeconds: number;
}

/** What a create did besides the row, for its audit event. */
export interface CreatedCheckpoint {
  row: CheckpointRow;
  sessionIds: string[];
  auto: boolean;
}

export const CHECKPOINTS_NOTIFY_CHANNEL = FEED_CHANNELS.checkpoints;

/** The link table under another name: it is called `sessions` too, like the table it points to. */
const links = alias(checkpointSessions, 'links');

function notFound(id: string): MemctxError {
  return new MemctxError('NOT_FOUND', `Checkpoint ${id} not found.`);
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

/**
 * Data access for checkpoints. Every query applies the access rules of
 * ARCHITECTURE §4; a checkpoint is never updated, only tombstoned.
 */
export class CheckpointStore {
  constructor(
    private readonly db: Db,
    private readonly redactor: Redactor,
    private readonly limits: StoreLimits,
  ) {}

  async get(actor: Actor, id: string): Promise<CheckpointRow> {
    const [row] = await this.db
      .select()
      .from(checkpoints)
      .where(and(eq(checkpoints.id, id), isNull(checkpoints.deletedAt), readableBy(actor, checkpoints)));
    if (!row) throw notFound(id);
    return (await withDigests(this.db, this.redactor, [row]))[0] ?? row;
  }

  /** Batch read for entity references: unknown or unreadable ids are absent. */
  async getMany(actor: Actor, ids: readonly string[]): Promise<Map<string, CheckpointRow>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .select()
      .from(checkpoints)
      .where(and(inArray(checkpoints.id, unique(ids)), isNull(checkpoints.deletedAt), readableBy(actor, checkpoints)));
    return new Map((await withDigests(this.db, this.redactor, rows)).map((r) => [r.id, r]));
  }

  /** Most recently taken first: (taken_at desc, id desc), keyset-paged. */
  async list(actor: Actor, filter: CheckpointFilter, first: number, after: string | null | undefined) {
    const position = decodeCheckpointCursor(after);
    const conditions: SQL[] = [isNull(checkpoints.deletedAt), readableBy(actor, checkpoints)];
    if (filter.submodules?.length) conditions.push(inArray(checkpoints.submoduleId, filter.submodules));
    if (filter.privacyLevels) conditions.push(inArray(checkpoints.privacyLevel, filter.privacyLevels.filter((l) => l !== 'EPHEMERAL') as StoredPrivacyLevel[]));
    if (filter.gitRef != null) conditions.push(eq(checkpoints.gitRef, filter.gitRef));
    if (filter.from) conditions.push(gte(checkpoints.takenAt, filter.from));
    if (filter.to) conditions.push(lt(checkpoints.takenAt, filter.to));
    if (position) {
      conditions.push(or(lt(checkpoints.takenAt, position.takenAt), and(eq(checkpoints.takenAt, position.takenAt), lt(checkpoints.id, position.id))) as SQL);
    }
    const rows = await this.db
      .select()
      .from(checkpoints)
      .where(and(...conditions))
      .orderBy(desc(checkpoints.takenAt), desc(checkpoints.id))
      .limit(first + 1);
    const nodes = await withDigests(this.db, this.redactor, rows.slice(0, first));
    const last = nodes.at(-1);
    return { nodes, pageInfo: { hasNextPage: rows.length > first, endCursor: last ? encodeCheckpointCursor(last) : null } };
  }

  async create(tx: Tx, actor: Actor, input: CreateCheckpointInput): Promise<CreatedCheckpoint> {
    assertStorable(input.privacyLevel, 'checkpoints');
    const level = input.privacyLevel;
    const submoduleId = input.submoduleId ?? actor.submoduleId;
    assertCanWrite(actor, submoduleId, 'checkpoint');

    // Database time, to the millisecond: the keyset cursor holds milliseconds, and
    // auto checkpoints compare it with sessions' created_at, also database time.
    const [clock] = await tx
      .select({
        now: sql<Date>`date_trunc('milliseconds', now())`.mapWith(checkpoints.takenAt),
        last: max(checkpoints.takenAt),
      })
      .from(checkpoints)
      .where(and(eq(checkpoints.submoduleId, submoduleId), isNull(checkpoints.deletedAt)));
    const takenAt = input.takenAt ?? clock?.now ?? new Date();

    const explicit = unique(input.sessionIds ?? []);
    let digests: SessionDigest[] = [];
    let since: Date | null = null;
    let truncated = false;
    if (input.auto === true) {
      since = input.since ?? clock?.last ?? null;
      const found = await sessionsSince(tx, submoduleId, since, AUTO_SESSION_LIMIT + 1);
      truncated = found.length > AUTO_SESSION_LIMIT;
      // A checkpoint others may read never lists (or links) its owner's PRIVATE sessions.
      digests = found.slice(-AUTO_SESSION_LIMIT).filter((d) => level === 'PRIVATE' || d.privacyLevel !== 'PRIVATE');
    }

    const candidates = unique([...explicit, ...digests.map((d) => d.id)]);
    // Holds the sessions until commit, so a concurrent deletion (GDPR) either
    // happens first (and the session is refused here) or waits and then
    // reaches the feed follower, which removes the link.
    await lockSessions(tx, candidates);
    const readable = await readableSessionIds(tx, actor, candidates);
    const missing = explicit.filter((id) => !readable.has(id));
    if (missing.length > 0) {
      throw new MemctxError('NOT_FOUND', `Session${missing.length === 1 ? '' : 's'} ${missing.join(', ')} not found: a checkpoint can link only sessions the caller may read.`, {
        sessionIds: missing,
      });
    }
    digests = digests.filter((d) => readable.has(d.id));
    const linked = unique([...explicit, ...digests.map((d) => d.id)]);

    let title = input.title ?? '';
    let summary = input.summary ?? null;
    if (input.auto === true) {
      // Only the window is stored; the digest of titles and tags is written at read time (checkpoint-digest.ts).
      title = input.title ?? describeSessions(digests, since, takenAt, truncated).title;
      summary = summary ? `${summary}\n\n${autoMarker(since, truncated)}` : autoMarker(since, truncated);
    }

    const fields = redactCheckpoint(this.redactor, level, { title, summary, content: input.content ?? null });
    const bytes = contentSize(fields.content);
    assertContentSize(bytes, this.limits.maxContentBytes);
    const id = input.id ?? uuidv7();
    const inserted = await tx
      .insert(checkpoints)
      .values({
        id,
        submoduleId,
        privacyLevel: level,
        title: fields.title,
        takenAt,
        gitRef: input.gitRef ?? null,
        summary: fields.summary,
        content: fields.content,
        contentHash: contentHash(fields.content),
        contentBytes: bytes,
        redaction: fields.redaction as Record<string, number>,
      })
      .onConflictDoNothing()
      .returning();
    const row = inserted[0];
    if (!row) throw idTaken(id);
    if (linked.length > 0) {
      await tx
        .insert(checkpointSessions)
        .values(linked.map((sessionId) => ({ checkpointId: id, sessionId })))
        .onConflictDoNothing();
    }
    await appendChange(tx, checkpointChanges, { entityId: id, submoduleId, privacyLevel: level, op: 'UPSERT', version: 1 }, CHECKPOINTS_NOTIFY_CHANNEL);
    const [described] = await withDigests(tx, this.redactor, [row]);
    return { row: described ?? row, sessionIds: linked, auto: input.auto === true };
  }

  /** Leaves a tombstone: content out of the live table at once, archived for the retention window. */
  async delete(tx: Tx, actor: Actor, id: string, gdpr: boolean, reason: string | null) {
    const [current] = await tx.select().from(checkpoints).where(and(eq(checkpoints.id, id), isNull(checkpoints.deletedAt))).for('update');
    if (!current || !canRead(actor, current)) throw notFound(id);
    assertCanWrite(actor, current.submoduleId, 'checkpoint');
    const linked = await tx.select({ sessionId: checkpointSessions.sessionId }).from(checkpointSessions).where(eq(checkpointSessions.checkpointId, id));
    const { retentionSeconds } = this.limits;
    await archiveEntity(tx, checkpointArchive, {
      entityId: id,
      submoduleId: current.submoduleId,
      payload: { ...current, sessionIds: linked.map((l) => l.sessionId) },
      reason,
      gdpr,
      retentionSeconds,
    });
    // The one UPDATE the immutability trigger allows: deleted_at set, content wiped.
    const [row] = await tx
      .update(checkpoints)
      .set({
        title: '',
        gitRef: null,
        summary: null,
        content: null,
        contentHash: null,
        contentBytes: 0,
        redaction: {},
        deletedAt: sql`now()`,
        updatedAt: sql`now()`,
        version: sql`${checkpoints.version} + 1`,
      })
      .where(eq(checkpoints.id, id))
      .returning({ version: checkpoints.version, deletedAt: checkpoints.deletedAt });
    await tx.delete(checkpointSessions).where(eq(checkpointSessions.checkpointId, id));
    await appendChange(
      tx,
      checkpointChanges,
      { entityId: id, submoduleId: current.submoduleId, privacyLevel: current.privacyLevel, op: 'DELETE', version: row?.version ?? current.version + 1 },
      CHECKPOINTS_NOTIFY_CHANNEL,
    );
    const deletedAt = row?.deletedAt ?? new Date();
    return { id, deleted: true, purgeAfter: new Date(deletedAt.getTime() + retentionSeconds * 1000), submoduleId: current.submoduleId };
  }

  async changes(actor: Actor, after: string | null | undefined, limit: number) {
    return readEntityChanges(this.db, checkpointChanges, actor, after, limit, (ids) => this.getMany(actor, ids));
  }


  /**
   * The linked sessions the actor may read, per checkpoint, oldest first: one
   * query for every checkpoint of a request (Checkpoint.sessions).
   */
  async sessionIdsFor(actor: Actor, checkpointIds: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (checkpointIds.length === 0) return out;
    const rows = await this.db
      .select({ checkpointId: links.checkpointId, sessionId: links.sessionId })
      .from(links)
      .innerJoin(sessions, eq(sessions.id, links.sessionId))
      .where(and(inArray(links.checkpointId, unique(checkpointIds)), isNull(sessions.deletedAt), readableBy(actor, sessions)))
      .orderBy(asc(sessions.createdAt), asc(sessions.id));
    for (const r of rows) out.set(r.checkpointId, [...(out.get(r.checkpointId) ?? []), r.sessionId]);
    return out;
  }

  /**
   * The live checkpoints the actor may read that link each session, most
   * recently taken first: one query for every session of a request
   * (Session.checkpoints). A session the actor may not read has none.
   */
  async checkpointsFor(actor: Actor, sessionIds: readonly string[]): Promise<Map<string, CheckpointRow[]>> {
    const out = new Map<string, CheckpointRow[]>();
    if (sessionIds.length === 0) return out;
    const rows = await this.db
      .select({ sessionId: links.sessionId, checkpoint: checkpoints })
      .from(links)
      .innerJoin(checkpoints, eq(checkpoints.id, links.checkpointId))
      .innerJoin(sessions, eq(sessions.id, links.sessionId))
      .where(
        and(
          inArray(links.sessionId, unique(sessionIds)),
          isNull(checkpoints.deletedAt),
          readableBy(actor, checkpoints),
          isNull(sessions.deletedAt),
          readableBy(actor, sessions),
        ),
      )
      .orderBy(desc(checkpoints.takenAt), desc(checkpoints.id));
    const described = new Map((await withDigests(this.db, this.redactor, rows.map((r) => r.checkpoint))).map((c) => [c.id, c]));
    for (const r of rows) out.set(r.sessionId, [...(out.get(r.sessionId) ?? []), described.get(r.checkpoint.id) ?? r.checkpoint]);
    return out;
  }

  /**
   * Drops every link to these sessions (they were deleted); the checkpoints
   * stay. Each live checkpoint that linked one reads differently now (its
   * sessions, its digest), so it goes down the change feed again: the search
   * index and every SDK cache replace the copy that named the deleted session.
   */
  async unlinkSessions(tx: Tx, sessionIds: readonly string[]): Promise<{ links: number; checkpoints: number }> {
    if (sessionIds.length === 0) return { links: 0, checkpoints: 0 };
    const removed = await tx
      .delete(checkpointSessions)
      .where(inArray(checkpointSessions.sessionId, unique(sessionIds)))
      .returning({ checkpointId: checkpointSessions.checkpointId });
    const affected = unique(removed.map((r) => r.checkpointId));
    if (affected.length === 0) return { links: 0, checkpoints: 0 };
    const live = await tx
      .select({ id: checkpoints.id, submoduleId: checkpoints.submoduleId, privacyLevel: checkpoints.privacyLevel, version: checkpoints.version })
      .from(checkpoints)
      .where(and(inArray(checkpoints.id, affected), isNull(checkpoints.deletedAt)))
      .orderBy(asc(checkpoints.id));
    for (const c of live) {
      // Same version: the row did not change, its reading did; caches accept an equal version.
      await appendChange(tx, checkpointChanges, { entityId: c.id, submoduleId: c.submoduleId, privacyLevel: c.privacyLevel, op: 'UPSERT', version: c.version }, CHECKPOINTS_NOTIFY_CHANNEL);
    }
    return { links: removed.length, checkpoints: live.length };
  }
}

async function lockSessions(tx: Tx, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await tx
    .select({ id: sessions.id })
    .from(sessions)
    .where(inArray(sessions.id, [...ids]))
    .orderBy(asc(sessions.id))
    .for('share');
}
