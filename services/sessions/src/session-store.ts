import { and, arrayContains, desc, eq, getTableColumns, gte, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import {
  appendChange,
  appendChanges,
  archiveEntity,
  FEED_CHANNELS,
  insertRecords,
  readableBy,
  readEntityChanges,
  sessionArchive,
  sessionChanges,
  sessions,
  type Actor,
  type Db,
  type DbOrTx,
  type Tx,
} from '@memory-context/db';
import { assertCanWrite, assertStorable, canRead, idTaken } from '@memory-context/access';
import type { Redactor } from '@memory-context/privacy';
import { MemctxError, type StoredPrivacyLevel } from '@memory-context/protocol';
import { decodePageCursor, encodePageCursor } from '@memory-context/server-kit';
import type { CreateSessionInput, UpdateSessionInput } from './session-input.js';
import { assertContentSize, contentHash, contentSize, redactSession } from './session-content.js';

export type SessionRow = typeof sessions.$inferSelect;
export type NewSessionRow = typeof sessions.$inferInsert & { id: string };

/** A row as `list` returns it: `content` only when the caller asked for it. */
export type SessionListRow = Omit<SessionRow, 'content'> & Partial<Pick<SessionRow, 'content'>>;

/** Every column but `content`: the conversation is most of a row, and a page of 50 rarely shows it. */
const { content: _content, ...LIST_COLUMNS } = getTableColumns(sessions);
/** Typed as the narrower set so one query serves both; the rows still carry `content` at run time. */
const ALL_COLUMNS: typeof LIST_COLUMNS = getTableColumns(sessions);

export interface SessionFilter {
  submodules?: string[] | null;
  privacyLevels?: string[] | null;
  tags?: string[] | null;
  from?: Date | null;
  to?: Date | null;
}

export interface StoreLimits {
  maxContentBytes: number;
  retentionSeconds: number;
}

export const SESSIONS_NOTIFY_CHANNEL = FEED_CHANNELS.sessions;

function notFound(id: string): MemctxError {
  return new MemctxError('NOT_FOUND', `Session ${id} not found.`);
}

/** Data access for sessions. Every query applies the access rules of ARCHITECTURE §4. */
export class SessionStore {
  constructor(
    private readonly db: Db,
    private readonly redactor: Redactor,
    private readonly limits: StoreLimits,
  ) {}

  async get(actor: Actor, id: string): Promise<SessionRow> {
    const [row] = await this.db
      .select()
      .from(sessions)
      .where(and(eq(sessions.id, id), isNull(sessions.deletedAt), readableBy(actor, sessions)));
    if (!row) throw notFound(id);
    return row;
  }

  /** Batch read for entity references: unknown or unreadable ids come back as undefined. */
  async getMany(actor: Actor, ids: readonly string[]): Promise<Map<string, SessionRow>>;
  async getMany(actor: Actor, ids: readonly string[], options: { withContent: boolean }): Promise<Map<string, SessionListRow>>;
  async getMany(actor: Actor, ids: readonly string[], options = { withContent: true }): Promise<Map<string, SessionListRow>> {
    if (ids.length === 0) return new Map();
    const rows: SessionListRow[] = await this.db
      .select(options.withContent ? ALL_COLUMNS : LIST_COLUMNS)
      .from(sessions)
      .where(and(inArray(sessions.id, [...ids]), isNull(sessions.deletedAt), readableBy(actor, sessions)));
    return new Map(rows.map((r) => [r.id, r]));
  }

  async list(actor: Actor, filter: SessionFilter, first: number, after: string | null | undefined, options: { withContent: boolean }) {
    const position = decodePageCursor(after);
    const conditions: SQL[] = [isNull(sessions.deletedAt), readableBy(actor, sessions)];
    if (filter.submodules?.length) conditions.push(inArray(sessions.submoduleId, filter.submodules));
    if (filter.privacyLevels) conditions.push(inArray(sessions.privacyLevel, filter.privacyLevels.filter((l) => l !== 'EPHEMERAL') as StoredPrivacyLevel[]));
    if (filter.tags?.length) conditions.push(arrayContains(sessions.tags, filter.tags));
    if (filter.from) conditions.push(gte(sessions.createdAt, filter.from));
    if (filter.to) conditions.push(lt(sessions.createdAt, filter.to));
    if (position) {
      const at = new Date(position.createdAt);
      conditions.push(or(lt(sessions.createdAt, at), and(eq(sessions.createdAt, at), lt(sessions.id, position.id))) as SQL);
    }
    const rows: SessionListRow[] = await this.db
      .select(options.withContent ? ALL_COLUMNS : LIST_COLUMNS)
      .from(sessions)
      .where(and(...conditions))
      .orderBy(desc(sessions.createdAt), desc(sessions.id))
      .limit(first + 1);
    const nodes = rows.slice(0, first);
    const last = nodes.at(-1);
    return { nodes, pageInfo: { hasNextPage: rows.length > first, endCursor: last ? encodePageCursor(last) : null } };
  }

  /**
   * The row a create would insert, without a statement: the access rule,
   * redaction and the content limit. `input.id` must be set (the caller picks
   * the UUIDv7 when the client gave none).
   */
  prepareCreate(actor: Actor, input: CreateSessionInput & { id: string }): NewSessionRow {
    assertStorable(input.privacyLevel, 'sessions');
    const submoduleId = input.submoduleId ?? actor.submoduleId;
    assertCanWrite(actor, submoduleId, 'session');
    const fields = redactSession(this.redactor, input.privacyLevel, {
      title: input.title,
      description: input.description ?? null,
      tags: input.tags ?? [],
      content: input.content ?? [],
    });
    const bytes = contentSize(fields.content);
    assertContentSize(bytes, this.limits.maxContentBytes);
    return {
      id: input.id,
      submoduleId,
      privacyLevel: input.privacyLevel,
      title: fields.title,
      description: fields.description,
      tags: fields.tags,
      startedAt: input.startedAt ?? null,
      endedAt: input.endedAt ?? null,
      content: fields.content,
      contentHash: contentHash(fields.content),
      contentBytes: bytes,
      redaction: fields.summary as Record<string, number>,
    };
  }

  async create(tx: Tx, actor: Actor, input: CreateSessionInput): Promise<SessionRow> {
    const values = this.prepareCreate(actor, { ...input, id: input.id ?? uuidv7() });
    const [row] = await this.insertMany(tx, [values]);
    if (!row) throw idTaken(values.id);
    await this.appendCreated(tx, [row]);
    return row;
  }

  /** One statement: the rows whose ids are free, returned; a taken id is skipped. */
  insertMany(tx: Tx, values: readonly NewSessionRow[]): Promise<SessionRow[]> {
    return insertRecords(tx, sessions, values, { onConflictDoNothing: true });
  }

  /** One statement: the change rows (version 1) of newly created sessions. */
  appendCreated(tx: Tx, rows: readonly SessionRow[]): Promise<void> {
    return appendChanges(
      tx,
      sessionChanges,
      rows.map((row) => ({ entityId: row.id, submoduleId: row.submoduleId, privacyLevel: row.privacyLevel, op: 'UPSERT' as const, version: 1 })),
      SESSIONS_NOTIFY_CHANNEL,
    );
  }

  /** Locks the live row for the rest of the transaction; NOT_FOUND when the actor cannot see it. */
  private async lockForWrite(tx: Tx, actor: Actor, id: string): Promise<SessionRow> {
    const [row] = await tx.select().from(sessions).where(and(eq(sessions.id, id), isNull(sessions.deletedAt))).for('update');
    if (!row || !canRead(actor, row)) throw notFound(id);
    assertCanWrite(actor, row.submoduleId, 'session');
    return row;
  }

  async update(tx: Tx, actor: Actor, id: string, baseVersion: number, input: UpdateSessionInput): Promise<SessionRow> {
    const current = await this.lockForWrite(tx, actor, id);
    if (current.version !== baseVersion) {
      throw new MemctxError('CONFLICT', `Session ${id} is at version ${current.version}, not ${baseVersion}: fetch it, merge, and retry with baseVersion ${current.version}.`, {
        currentVersion: current.version,
      });
    }
    const level = input.privacyLevel ?? current.privacyLevel;
    assertStorable(level, 'sessions');
    const changesText = input.title != null || input.description !== undefined || input.tags != null || input.content != null;
    const levelChanged = level !== current.privacyLevel;
    let textFields = {};
    if (changesText || levelChanged) {
      const fields = redactSession(this.redactor, level, {
        title: input.title ?? current.title,
        description: input.description === undefined ? current.description : input.description,
        tags: input.tags ?? current.tags,
        content: input.content ?? current.content ?? [],
      });
      const bytes = contentSize(fields.content);
      assertContentSize(bytes, this.limits.maxContentBytes);
      // Text that was not resubmitted keeps its earlier counts; new findings add to them.
      const summary = input.content != null ? fields.summary : mergeCounts(current.redaction, fields.summary as Record<string, number>);
      textFields = {
        title: fields.title,
        description: fields.description,
        tags: fields.tags,
        content: fields.content,
        contentHash: contentHash(fields.content),
        contentBytes: bytes,
        redaction: summary,
      };
    }
    const [row] = await tx
      .update(sessions)
      .set({
        ...textFields,
        privacyLevel: level,
        ...(input.startedAt !== undefined ? { startedAt: input.startedAt } : {}),
        ...(input.endedAt !== undefined ? { endedAt: input.endedAt } : {}),
        version: sql`${sessions.version} + 1`,
        updatedAt: sql`now()`,
      })
      .where(eq(sessions.id, id))
      .returning();
    if (!row) throw notFound(id);
    await appendChange(
      tx,
      sessionChanges,
      { entityId: id, submoduleId: row.submoduleId, privacyLevel: row.privacyLevel, previousPrivacyLevel: current.privacyLevel, op: 'UPSERT', version: row.version },
      SESSIONS_NOTIFY_CHANNEL,
    );
    return row;
  }

  /** Leaves a tombstone: content out of the live table at once, archived for the retention window. */
  async delete(tx: Tx, actor: Actor, id: string, gdpr: boolean, reason: string | null) {
    const current = await this.lockForWrite(tx, actor, id);
    const { retentionSeconds } = this.limits;
    await archiveEntity(tx, sessionArchive, { entityId: id, submoduleId: current.submoduleId, payload: current, reason, gdpr, retentionSeconds });
    const [row] = await tx
      .update(sessions)
      .set({
        title: '',
        description: null,
        tags: [],
        content: null,
        contentHash: null,
        contentBytes: 0,
        redaction: {},
        deletedAt: sql`now()`,
        updatedAt: sql`now()`,
        version: sql`${sessions.version} + 1`,
      })
      .where(eq(sessions.id, id))
      .returning({ version: sessions.version, deletedAt: sessions.deletedAt });
    await appendChange(
      tx,
      sessionChanges,
      { entityId: id, submoduleId: current.submoduleId, privacyLevel: current.privacyLevel, op: 'DELETE', version: row?.version ?? current.version + 1 },
      SESSIONS_NOTIFY_CHANNEL,
    );
    const deletedAt = row?.deletedAt ?? new Date();
    return { id, deleted: true, purgeAfter: new Date(deletedAt.getTime() + retentionSeconds * 1000), submoduleId: current.submoduleId };
  }

  async changes(actor: Actor, after: string | null | undefined, limit: number) {
    return readEntityChanges(this.db, sessionChanges, actor, after, limit, (ids) => this.getMany(actor, ids));
  }

}

function mergeCounts(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}

export type { DbOrTx };
