import { and, arrayContains, eq, gte, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import {
  appendChange,
  archiveEntity,
  FEED_CHANNELS,
  nowMs,
  patternArchive,
  patternChanges,
  patterns,
  patternSources,
  readableBy,
  readableSessionIds,
  readEntityChanges,
  sessions,
  type Actor,
  type Db,
  type DbOrTx,
  type Tx,
} from '@memory-context/db';
import { assertCanWrite, assertStorable, canRead, idTaken } from '@memory-context/access';
import { mergeSummaries, type Redactor } from '@memory-context/privacy';
import { MemctxError, type StoredPrivacyLevel } from '@memory-context/protocol';
import { mergeScope, patternFingerprint } from './pattern-fingerprint.js';
import type { PatternFilter, RecordPatternInput } from './pattern-input.js';
import { afterCondition, encodePatternCursor, orderBy, type PatternOrder } from './pattern-order.js';

export type PatternRow = typeof patterns.$inferSelect;
export const PATTERNS_NOTIFY_CHANNEL = FEED_CHANNELS.patterns;

function notFound(id: string): MemctxError {
  return new MemctxError('NOT_FOUND', `Pattern ${id} not found.`);
}

/** Data access for patterns. Every query applies the access rules of ARCHITECTURE §4. */
export class PatternStore {
  constructor(
    private readonly db: Db,
    private readonly redactor: Redactor,
    private readonly retentionSeconds: number,
  ) {}

  async get(actor: Actor, id: string): Promise<PatternRow> {
    const [row] = await this.db.select().from(patterns).where(and(eq(patterns.id, id), isNull(patterns.deletedAt), readableBy(actor, patterns)));
    if (!row) throw notFound(id);
    return row;
  }

  async getMany(actor: Actor, ids: readonly string[]): Promise<Map<string, PatternRow>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .select()
      .from(patterns)
      .where(and(inArray(patterns.id, [...ids]), isNull(patterns.deletedAt), readableBy(actor, patterns)));
    return new Map(rows.map((r) => [r.id, r]));
  }

  async list(actor: Actor, filter: PatternFilter, order: PatternOrder, first: number, after: string | null | undefined) {
    const conditions: SQL[] = [isNull(patterns.deletedAt), readableBy(actor, patterns)];
    if (filter.kinds?.length) conditions.push(inArray(patterns.kind, filter.kinds));
    if (filter.submodules?.length) conditions.push(inArray(patterns.submoduleId, filter.submodules));
    if (filter.privacyLevels) conditions.push(inArray(patterns.privacyLevel, filter.privacyLevels.filter((l) => l !== 'EPHEMERAL') as StoredPrivacyLevel[]));
    if (filter.tags?.length) conditions.push(arrayContains(patterns.tags, filter.tags));
    if (filter.minOccurrences) conditions.push(gte(patterns.occurrences, filter.minOccurrences));
    const position = afterCondition(order, after);
    if (position) conditions.push(position);
    const rows = await this.db.select().from(patterns).where(and(...conditions)).orderBy(...orderBy(order)).limit(first + 1);
    const nodes = rows.slice(0, first);
    const last = nodes.at(-1);
    return { nodes, pageInfo: { hasNextPage: rows.length > first, endCursor: last ? encodePatternCursor(order, last) : null } };
  }

  /** Stores a lesson, or merges it into the equal live pattern of its merge scope. */
  async record(tx: Tx, actor: Actor, input: RecordPatternInput): Promise<{ row: PatternRow; outcome: 'CREATED' | 'MERGED' }> {
    const level = input.privacyLevel;
    assertStorable(level, 'patterns');
    const owner = input.submoduleId ?? actor.submoduleId;
    assertCanWrite(actor, owner, 'pattern');
    const name = this.redactor.redactText(input.name, level);
    const description = input.description ? this.redactor.redactText(input.description, level) : undefined;
    const body = this.redactor.redactValue(input.body ?? null, level);
    const tags = (input.tags ?? []).map((t) => this.redactor.redactText(t, level));
    const summary = mergeSummaries(name.summary, description?.summary ?? {}, body.summary, ...tags.map((t) => t.summary)) as Record<string, number>;
    const sourceIds = [...new Set(input.sourceSessionIds ?? [])];
    const readable = await readableSessionIds(tx, actor, sourceIds);
    const missing = sourceIds.filter((id) => !readable.has(id));
    if (missing.length > 0) throw new MemctxError('NOT_FOUND', `Source session(s) not found: ${missing.join(', ')}.`);

    const fingerprint = patternFingerprint(input.kind, name.text, body.value);
    const scope = mergeScope(level, owner);
    const tagTexts = [...new Set(tags.map((t) => t.text))];
    const id = input.id ?? uuidv7();
    // No conflict target: a taken id and an equal live lesson both skip the insert; the lookup below tells them apart.
    const [created] = await tx
      .insert(patterns)
      .values({
        id,
        submoduleId: owner,
        privacyLevel: level,
        kind: input.kind,
        name: name.text,
        description: description?.text ?? null,
        body: body.value,
        tags: tagTexts,
        fingerprint,
        mergeScope: scope,
        redaction: summary,
      })
      .onConflictDoNothing()
      .returning();
    let row: PatternRow;
    let outcome: 'CREATED' | 'MERGED';
    if (created) {
      row = created;
      outcome = 'CREATED';
    } else {
      const [existing] = await tx
        .select()
        .from(patterns)
        .where(and(eq(patterns.fingerprint, fingerprint), eq(patterns.mergeScope, scope), isNull(patterns.deletedAt)))
        .for('update');
      if (!existing) throw idTaken(id);
      const [merged] = await tx
        .update(patterns)
        .set({
          occurrences: sql`${patterns.occurrences} + 1`,
          lastSeenAt: nowMs,
          tags: [...new Set([...existing.tags, ...tagTexts])],
          version: sql`${patterns.version} + 1`,
          updatedAt: sql`now()`,
        })
        .where(eq(patterns.id, existing.id))
        .returning();
      if (!merged) throw notFound(existing.id);
      row = merged;
      outcome = 'MERGED';
    }
    if (sourceIds.length > 0) {
      await tx
        .insert(patternSources)
        .values(sourceIds.map((sessionId) => ({ patternId: row.id, sessionId, submoduleId: actor.submoduleId })))
        .onConflictDoNothing();
    }
    await appendChange(tx, patternChanges, { entityId: row.id, submoduleId: row.submoduleId, privacyLevel: row.privacyLevel, op: 'UPSERT', version: row.version }, PATTERNS_NOTIFY_CHANNEL);
    return { row, outcome };
  }

  /** Counts one use. Not a change of the lesson: no new version, no feed entry. */
  async use(tx: Tx, actor: Actor, id: string): Promise<PatternRow> {
    const [row] = await tx
      .update(patterns)
      .set({ usageCount: sql`${patterns.usageCount} + 1` })
      .where(and(eq(patterns.id, id), isNull(patterns.deletedAt), readableBy(actor, patterns)))
      .returning();
    if (!row) throw notFound(id);
    return row;
  }

  async delete(tx: Tx, actor: Actor, id: string, gdpr: boolean, reason: string | null) {
    const [current] = await tx.select().from(patterns).where(and(eq(patterns.id, id), isNull(patterns.deletedAt))).for('update');
    if (!current || !canRead(actor, current)) throw notFound(id);
    assertCanWrite(actor, current.submoduleId, 'pattern');
    const purgeAfter = await this.tombstone(tx, current, gdpr, reason);
    return { id, deleted: true as const, purgeAfter, submoduleId: current.submoduleId };
  }

  /** Archives the content, wipes the live row, drops its links and records the DELETE. */
  private async tombstone(tx: Tx, current: PatternRow, gdpr: boolean, reason: string | null): Promise<Date> {
    await archiveEntity(tx, patternArchive, { entityId: current.id, submoduleId: current.submoduleId, payload: current, reason, gdpr, retentionSeconds: this.retentionSeconds });
    const [row] = await tx
      .update(patterns)
      .set({
        name: '',
        description: null,
        body: null,
        tags: [],
        redaction: {},
        fingerprint: `deleted:${current.id}`,
        deletedAt: sql`now()`,
        updatedAt: sql`now()`,
        version: sql`${patterns.version} + 1`,
      })
      .where(eq(patterns.id, current.id))
      .returning({ version: patterns.version, deletedAt: patterns.deletedAt });
    await tx.delete(patternSources).where(eq(patternSources.patternId, current.id));
    await appendChange(
      tx,
      patternChanges,
      { entityId: current.id, submoduleId: current.submoduleId, privacyLevel: current.privacyLevel, op: 'DELETE', version: row?.version ?? current.version + 1 },
      PATTERNS_NOTIFY_CHANNEL,
    );
    return new Date((row?.deletedAt ?? new Date()).getTime() + this.retentionSeconds * 1000);
  }

  /**
   * Sessions were deleted: drop their links. A pattern whose every source is
   * gone goes too (its lesson came only from deleted content); one with other
   * sources stays.
   */
  async forgetSessions(tx: Tx, sessionIds: string[]): Promise<string[]> {
    if (sessionIds.length === 0) return [];
    const unlinked = await tx.delete(patternSources).where(inArray(patternSources.sessionId, sessionIds)).returning({ patternId: patternSources.patternId });
    const affected = [...new Set(unlinked.map((u) => u.patternId))];
    if (affected.length === 0) return [];
    const orphans = await tx
      .select()
      .from(patterns)
      .where(
        and(
          inArray(patterns.id, affected),
          isNull(patterns.deletedAt),
          sql`not exists (select 1 from ${patternSources} s where s.pattern_id = ${patterns.id})`,
        ),
      )
      .for('update');
    for (const orphan of orphans) await this.tombstone(tx, orphan, true, 'every source session was deleted');
    return orphans.map((o) => o.id);
  }

  async changes(actor: Actor, after: string | null | undefined, limit: number) {
    return readEntityChanges(this.db, patternChanges, actor, after, limit, (ids) => this.getMany(actor, ids));
  }


  /** Source sessions per pattern that the actor may read: one query for any number of patterns. */
  async sourcesOf(actor: Actor, patternIds: readonly string[]): Promise<Map<string, string[]>> {
    const bySource = new Map<string, string[]>(patternIds.map((id) => [id, []]));
    if (patternIds.length === 0) return bySource;
    const links = await this.db
      .select({ patternId: patternSources.patternId, sessionId: patternSources.sessionId })
      .from(patternSources)
      .innerJoin(sessions, eq(sessions.id, patternSources.sessionId))
      .where(and(inArray(patternSources.patternId, [...patternIds]), isNull(sessions.deletedAt), readableBy(actor, sessions)))
      .orderBy(patternSources.linkedAt, patternSources.sessionId);
    for (const link of links) bySource.get(link.patternId)?.push(link.sessionId);
    return bySource;
  }

  /**
   * Readable patterns per session, for the sessions the actor may read (a
   * session it may not read has none): one query for any number of sessions.
   */
  async patternsOfSessions(actor: Actor, sessionIds: readonly string[]): Promise<Map<string, PatternRow[]>> {
    const bySession = new Map<string, PatternRow[]>(sessionIds.map((id) => [id, []]));
    if (sessionIds.length === 0) return bySession;
    const rows = await this.db
      .select({ sessionId: patternSources.sessionId, pattern: patterns })
      .from(patternSources)
      .innerJoin(patterns, eq(patterns.id, patternSources.patternId))
      .innerJoin(sessions, eq(sessions.id, patternSources.sessionId))
      .where(
        and(
          inArray(patternSources.sessionId, [...sessionIds]),
          isNull(patterns.deletedAt),
          readableBy(actor, patterns),
          isNull(sessions.deletedAt),
          readableBy(actor, sessions),
        ),
      )
      .orderBy(patterns.id);
    for (const row of rows) bySession.get(row.sessionId)?.push(row.pattern);
    return bySession;
  }
}

export type { DbOrTx };
