import { randomUUID } from 'node:crypto';
import { and, count, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { auditEvents, checkpoints, patterns, sessionChanges, sessionMutations, sessions } from '@memory-context/db';
import { codes, CREATE_SESSION, graphql, ok, startTestStack, type TestStack } from './src/index.js';

const APPLY_SESSION_WRITES = `mutation Apply($writes: [SessionWrite!]!) {
  applySessionWrites(writes: $writes) { idempotencyKey status session { id title version privacyLevel } currentVersion code message }
}`;
const APPLY_PATTERN_WRITES = `mutation Apply($writes: [PatternWrite!]!) {
  applyPatternWrites(writes: $writes) { idempotencyKey status pattern { id occurrences usageCount } merged code }
}`;
const APPLY_CHECKPOINT_WRITES = `mutation Apply($writes: [CheckpointWrite!]!) {
  applyCheckpointWrites(writes: $writes) { idempotencyKey status checkpoint { id title } code }
}`;

interface SessionResult {
  idempotencyKey: string;
  status: string;
  session: { id: string; title: string; version: number; privacyLevel: string } | null;
  currentVersion: number | null;
  code: string | null;
  message: string | null;
}

let stack: TestStack;
let token: string;
let otherToken: string;

const key = (label: string) => `${label}-${randomUUID()}`;

async function applySessions(writes: unknown[], as = token): Promise<SessionResult[]> {
  return ok(await graphql<{ applySessionWrites: SessionResult[] }>(stack.gatewayUrl, APPLY_SESSION_WRITES, { writes }, as)).applySessionWrites;
}

async function sessionsWithIds(ids: string[]): Promise<Array<{ id: string; title: string; version: number; deleted: boolean }>> {
  const rows = await stack.deps.database.db.select().from(sessions).where(inArray(sessions.id, ids));
  return rows.map((r) => ({ id: r.id, title: r.title, version: r.version, deleted: r.deletedAt !== null }));
}

beforeAll(async () => {
  stack = await startTestStack({ maxWriteBatch: 20 });
  token = await stack.token('batch-writer');
  otherToken = await stack.token('batch-other');
});
afterAll(async () => stack?.stop());

describe('applySessionWrites', () => {
  it('answers a mixed batch write by write, in order, and stores only the good writes', async () => {
    const existing = ok(await graphql(stack.gatewayUrl, CREATE_SESSION, { input: { privacyLevel: 'TEAM', title: 'existing' } }, token)).createSession;
    const theirs = ok(await graphql(stack.gatewayUrl, CREATE_SESSION, { input: { privacyLevel: 'TEAM', title: 'theirs' } }, otherToken)).createSession;
    const replayedKey = key('sent-alone');
    const sentAlone = ok(await graphql(stack.gatewayUrl, CREATE_SESSION, { input: { privacyLevel: 'TEAM', title: 'sent alone', idempotencyKey: replayedKey } }, token)).createSession;
    const goodId = randomUUID();
    const writes = [
      { idempotencyKey: key('good-create'), create: { id: goodId, privacyLevel: 'TEAM', title: 'good' } },
      { idempotencyKey: key('stale'), update: { id: existing.id, baseVersion: 7, input: { title: 'lost' } } },
      { idempotencyKey: replayedKey, create: { privacyLevel: 'TEAM', title: 'sent alone' } },
      { idempotencyKey: key('none'), },
      { idempotencyKey: key('two'), create: { privacyLevel: 'TEAM', title: 'x' }, delete: { id: existing.id } },
      { idempotencyKey: key('ephemeral'), create: { privacyLevel: 'EPHEMERAL', title: 'local only' } },
      { idempotencyKey: key('not-mine'), update: { id: theirs.id, baseVersion: 1, input: { title: 'hijack' } } },
      { idempotencyKey: key('missing'), delete: { id: randomUUID() } },
      { idempotencyKey: 'short', create: { privacyLevel: 'TEAM', title: 'bad key' } },
      { idempotencyKey: key('good-update'), update: { id: goodId, baseVersion: 1, input: { title: 'good v2' } } },
    ];
    const results = await applySessions(writes);

    expect(results.map((r) => r.idempotencyKey)).toEqual(writes.map((w) => w.idempotencyKey));
    expect(results.map((r) => [r.status, r.code])).toEqual([
      ['APPLIED', null],
      ['CONFLICT', 'CONFLICT'],
      ['REPLAYED', null],
      ['REJECTED', 'BAD_USER_INPUT'],
      ['REJECTED', 'BAD_USER_INPUT'],
      ['REJECTED', 'EPHEMERAL_NOT_PERSISTED'],
      ['REJECTED', 'FORBIDDEN'],
      ['REJECTED', 'NOT_FOUND'],
      ['REJECTED', 'BAD_USER_INPUT'],
      ['APPLIED', null],
    ]);
    expect(results[0]?.session).toMatchObject({ id: goodId, title: 'good', version: 1 });
    expect(results[1]).toMatchObject({ currentVersion: 1, session: { id: existing.id, title: 'existing', version: 1 } });
    expect(results[2]?.session).toMatchObject({ id: sentAlone.id, title: 'sent alone' });
    expect(results[9]?.session).toMatchObject({ id: goodId, title: 'good v2', version: 2 });
    for (const r of results.slice(3, 9)) expect(r.session).toBeNull();

    // Only the good writes changed anything; the rejected ones claimed no key.
    expect(await sessionsWithIds([goodId, existing.id, theirs.id])).toEqual(
      expect.arrayContaining([
        { id: goodId, title: 'good v2', version: 2, deleted: false },
        { id: existing.id, title: 'existing', version: 1, deleted: false },
        { id: theirs.id, title: 'theirs', version: 1, deleted: false },
      ]),
    );
    const [ephemeral] = await stack.deps.database.db.select({ n: count() }).from(sessions).where(eq(sessions.title, 'local only'));
    expect(ephemeral?.n).toBe(0);
    const keys = writes.map((w) => w.idempotencyKey);
    const claimed = await stack.deps.database.db.select({ key: sessionMutations.key }).from(sessionMutations).where(inArray(sessionMutations.key, keys));
    expect(claimed.map((c) => c.key).sort()).toEqual([keys[0], keys[2], keys[9]].sort());
  });

  it('audits each write as the single mutation would: a success event per applied write, a denied event per refusal', async () => {
    const theirs = ok(await graphql(stack.gatewayUrl, CREATE_SESSION, { input: { privacyLevel: 'TEAM', title: 'audited theirs' } }, otherToken)).createSession;
    const id = randomUUID();
    await applySessions([
      { idempotencyKey: key('audit-create'), create: { id, privacyLevel: 'TEAM', title: 'audited' } },
      { idempotencyKey: key('audit-denied'), delete: { id: theirs.id } },
    ]);
    await stack.deps.audit.flush();
    const events = await stack.deps.database.db
      .select({ action: auditEvents.action, outcome: auditEvents.outcome })
      .from(auditEvents)
      .where(and(eq(auditEvents.actor, 'batch-writer'), inArray(auditEvents.resourceId, [id, theirs.id])));
    expect(events).toEqual(expect.arrayContaining([{ action: 'session.create', outcome: 'SUCCESS' }, { action: 'deleteSession', outcome: 'DENIED' }]));
    expect(events).toHaveLength(2);
  });

  it('keeps the order of writes to one entity: create, two updates and a delete in one batch', async () => {
    const id = randomUUID();
    const results = await applySessions([
      { idempotencyKey: key('o1'), create: { id, privacyLevel: 'TEAM', title: 'one' } },
      { idempotencyKey: key('o2'), update: { id, baseVersion: 1, input: { title: 'two' } } },
      { idempotencyKey: key('o3'), update: { id, baseVersion: 2, input: { title: 'three', privacyLevel: 'PRIVATE' } } },
      { idempotencyKey: key('o4'), delete: { id } },
    ]);
    expect(results.map((r) => r.status)).toEqual(['APPLIED', 'APPLIED', 'APPLIED', 'APPLIED']);
    expect(results.map((r) => r.session?.version ?? null)).toEqual([1, 2, 3, null]);
    expect(await sessionsWithIds([id])).toEqual([{ id, title: '', version: 4, deleted: true }]);
  });

  it('applies an interrupted batch once when it is resent, alone or twice at the same time', async () => {
    const ids = Array.from({ length: 6 }, () => randomUUID());
    const writes = ids.map((id, i) => ({ idempotencyKey: `resend-${id}`, create: { id, privacyLevel: 'TEAM', title: `resend ${i}` } }));
    writes.push({ idempotencyKey: `resend-update-${ids[0]}`, update: { id: ids[0], baseVersion: 1, input: { title: 'resend 0 v2' } } } as never);
    writes.push({ idempotencyKey: `resend-delete-${ids[1]}`, delete: { id: ids[1] } } as never);
    // The first send committed but its answer was lost: the client sends the whole batch again, twice at once.
    const first = await applySessions(writes);
    expect(first.every((r) => r.status === 'APPLIED')).toBe(true);
    const [again, alsoAgain] = await Promise.all([applySessions(writes), applySessions(writes)]);
    for (const resent of [again, alsoAgain]) {
      expect(resent.map((r) => r.status)).toEqual(writes.map(() => 'REPLAYED'));
      expect(resent[0]?.session).toMatchObject({ id: ids[0], title: 'resend 0 v2', version: 2 });
      expect(resent[6]?.session).toMatchObject({ id: ids[0], version: 2 });
      expect(resent[7]?.session).toBeNull();
    }
    const stored = await sessionsWithIds(ids);
    expect(stored).toHaveLength(6);
    expect(stored.find((s) => s.id === ids[0])).toMatchObject({ version: 2, title: 'resend 0 v2' });
    expect(stored.find((s) => s.id === ids[1])).toMatchObject({ version: 2, deleted: true });

    // Never sent before, sent twice at once: each write is applied exactly once.
    const fresh = Array.from({ length: 5 }, () => randomUUID());
    const freshWrites = fresh.map((id) => ({ idempotencyKey: `race-${id}`, create: { id, privacyLevel: 'TEAM', title: 'race' } }));
    const raced = await Promise.all([applySessions(freshWrites), applySessions(freshWrites)]);
    for (let i = 0; i < fresh.length; i += 1) {
      expect(raced.map((r) => r[i]?.status).sort()).toEqual(['APPLIED', 'REPLAYED']);
    }
    expect(await sessionsWithIds(fresh)).toHaveLength(5);
  });

  it('writes a batch of creates together with what single writes leave: rows, feed entries in order, key records, audit events', async () => {
    const ids = Array.from({ length: 5 }, () => randomUUID());
    const keys = ids.map((id) => `bulk-${id}`);
    const writes = ids.map((id, i) => ({
      idempotencyKey: keys[i],
      create: { id, privacyLevel: 'TEAM', title: `bulk ${i}`, content: [{ role: 'user', text: `mail bulk${i}@example.com` }] },
    }));
    // One write names no id: the server picks one, as for createSession.
    writes.push({ idempotencyKey: key('bulk-no-id'), create: { privacyLevel: 'TEAM', title: 'bulk without id' } } as never);
    const results = await applySessions(writes);
    expect(results.map((r) => r.status)).toEqual(writes.map(() => 'APPLIED'));
    expect(results.slice(0, 5).map((r) => r.session?.id)).toEqual(ids);
    const serverId = results[5]!.session!.id;
    expect(serverId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);

    const db = stack.deps.database.db;
    const rows = await db.select().from(sessions).where(inArray(sessions.id, ids));
    expect(rows).toHaveLength(5);
    for (const row of rows) {
      expect(row.content?.[0]?.text).toMatch(/^mail b\*+@example\.com$/);
      expect(row.version).toBe(1);
    }
    const feed = await db.select().from(sessionChanges).where(inArray(sessionChanges.entityId, [...ids, serverId])).orderBy(sessionChanges.txid, sessionChanges.seq);
    expect(feed.map((c) => [c.entityId, c.op, c.version])).toEqual([...ids, serverId].map((id) => [id, 'UPSERT', 1]));
    const records = await db.select().from(sessionMutations).where(inArray(sessionMutations.key, keys));
    expect(Object.fromEntries(records.map((r) => [r.key, r.result]))).toEqual(Object.fromEntries(keys.map((k, i) => [k, ids[i]])));
    expect(new Set(records.map((r) => r.operation))).toEqual(new Set(['createSession']));
    const events = await db.select().from(auditEvents).where(and(eq(auditEvents.action, 'session.create'), inArray(auditEvents.resourceId, ids)));
    expect(events).toHaveLength(5);
    expect(events.every((e) => e.outcome === 'SUCCESS' && e.actor === 'batch-writer' && e.submoduleId === 'batch-writer')).toBe(true);

    // A write of that batch sent again alone is a replay of it, and the batch again is a replay of all.
    const alone = ok(await graphql(stack.gatewayUrl, CREATE_SESSION, { input: { ...writes[2]!.create, idempotencyKey: keys[2] } }, token)).createSession;
    expect(alone).toMatchObject({ id: ids[2], version: 1 });
    expect((await applySessions(writes)).map((r) => r.status)).toEqual(writes.map(() => 'REPLAYED'));
    expect(await db.select().from(sessions).where(inArray(sessions.id, ids))).toHaveLength(5);
  });

  it('answers a batch of creates with a taken id or a refused input write by write, keeping no key of a failed write', async () => {
    const theirs = ok(await graphql(stack.gatewayUrl, CREATE_SESSION, { input: { privacyLevel: 'TEAM', title: 'taken' } }, otherToken)).createSession;
    const ids = [randomUUID(), theirs.id, randomUUID(), randomUUID()];
    const keys = ids.map(() => key('bulk-mixed'));
    const writes = ids.map((id, i) => ({ idempotencyKey: keys[i], create: { id, privacyLevel: 'TEAM', title: `mixed ${i}` } }));
    writes[3] = { idempotencyKey: keys[3]!, create: { id: ids[3]!, privacyLevel: 'TEAM', title: 'x'.repeat(600) } };
    const results = await applySessions(writes);
    expect(results.map((r) => r.status)).toEqual(['APPLIED', 'CONFLICT', 'APPLIED', 'REJECTED']);
    expect(results[3]?.code).toBe('BAD_USER_INPUT');
    // Good creates and one with a malformed key: that one alone is refused.
    const keyed = await applySessions([
      { idempotencyKey: key('bulk-good'), create: { id: randomUUID(), privacyLevel: 'TEAM', title: 'well keyed' } },
      { idempotencyKey: 'bad key!', create: { id: randomUUID(), privacyLevel: 'TEAM', title: 'badly keyed' } },
    ]);
    expect(keyed.map((r) => [r.status, r.code])).toEqual([['APPLIED', null], ['REJECTED', 'BAD_USER_INPUT']]);
    expect((await sessionsWithIds(ids)).map((s) => s.title).sort()).toEqual(['mixed 0', 'mixed 2', 'taken']);
    const records = await stack.deps.database.db.select().from(sessionMutations).where(inArray(sessionMutations.key, keys));
    expect(records.map((r) => r.key).sort()).toEqual([keys[0], keys[2]].sort());
  });

  it('refuses a batch over MEMCTX_MAX_WRITE_BATCH as a whole with PAYLOAD_TOO_LARGE', async () => {
    const writes = Array.from({ length: 21 }, () => ({ idempotencyKey: key('over'), create: { privacyLevel: 'TEAM', title: 'over the cap' } }));
    const res = await graphql(stack.gatewayUrl, APPLY_SESSION_WRITES, { writes }, token);
    expect(codes(res)).toEqual(['PAYLOAD_TOO_LARGE']);
    const [row] = await stack.deps.database.db.select({ n: count() }).from(sessions).where(eq(sessions.title, 'over the cap'));
    expect(row?.n).toBe(0);
  });
});

describe('applyPatternWrites and applyCheckpointWrites', () => {
  it('records, merges, uses and deletes patterns in one batch, each with its result', async () => {
    const lesson = { kind: 'SOLUTION', name: `Retry with backoff ${randomUUID()}`, privacyLevel: 'TEAM', body: { steps: 2 } };
    const recordKey = key('record');
    const writes = [
      { idempotencyKey: recordKey, record: lesson },
      { idempotencyKey: key('merge'), record: lesson },
      { idempotencyKey: key('use-missing'), use: { id: randomUUID() } },
      { idempotencyKey: key('ephemeral'), record: { ...lesson, privacyLevel: 'EPHEMERAL' } },
    ];
    const results = ok(await graphql(stack.gatewayUrl, APPLY_PATTERN_WRITES, { writes }, token)).applyPatternWrites;
    expect(results.map((r: { status: string; merged: boolean | null; code: string | null }) => [r.status, r.merged, r.code])).toEqual([
      ['APPLIED', false, null],
      ['APPLIED', true, null],
      ['REJECTED', null, 'NOT_FOUND'],
      ['REJECTED', null, 'EPHEMERAL_NOT_PERSISTED'],
    ]);
    const id = results[0].pattern.id as string;
    expect(results[1].pattern).toMatchObject({ id, occurrences: 2 });
    const next = ok(await graphql(stack.gatewayUrl, APPLY_PATTERN_WRITES, { writes: [writes[0], { idempotencyKey: key('use'), use: { id } }] }, token)).applyPatternWrites;
    expect(next.map((r: { status: string }) => r.status)).toEqual(['REPLAYED', 'APPLIED']);
    expect(next[0]).toMatchObject({ merged: false, pattern: { id, occurrences: 2 } });
    expect(next[1].pattern).toMatchObject({ id, usageCount: 1 });
    // A replay answers with the entity as it is after the batch: deleted in the same batch, none.
    const last = ok(await graphql(stack.gatewayUrl, APPLY_PATTERN_WRITES, { writes: [{ idempotencyKey: key('del'), delete: { id } }, writes[0]] }, token)).applyPatternWrites;
    expect(last.map((r: { status: string; pattern: unknown }) => [r.status, r.pattern])).toEqual([['APPLIED', null], ['REPLAYED', null]]);
    const [row] = await stack.deps.database.db.select().from(patterns).where(eq(patterns.id, id));
    expect(row?.deletedAt).not.toBeNull();
  });

  it('creates and deletes checkpoints in one batch and rejects an incomplete write alone', async () => {
    const id = randomUUID();
    const writes = [
      { idempotencyKey: key('cp'), create: { id, title: 'milestone', privacyLevel: 'TEAM', content: '# done' } },
      { idempotencyKey: key('cp-untitled'), create: { privacyLevel: 'TEAM' } },
      { idempotencyKey: key('cp-gdpr'), delete: { id, gdprRequest: true } },
      { idempotencyKey: key('cp-del'), delete: { id, gdprRequest: true, reason: 'asked by the user' } },
    ];
    const results = ok(await graphql(stack.gatewayUrl, APPLY_CHECKPOINT_WRITES, { writes }, token)).applyCheckpointWrites;
    expect(results.map((r: { status: string; code: string | null }) => [r.status, r.code])).toEqual([
      ['APPLIED', null],
      ['REJECTED', 'BAD_USER_INPUT'],
      ['REJECTED', 'BAD_USER_INPUT'],
      ['APPLIED', null],
    ]);
    expect(results[0].checkpoint).toMatchObject({ id, title: 'milestone' });
    const [row] = await stack.deps.database.db.select().from(checkpoints).where(eq(checkpoints.id, id));
    expect(row?.deletedAt).not.toBeNull();
  });
});
