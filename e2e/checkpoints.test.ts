import { and, count, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { auditEvents, checkpointArchive, checkpoints, checkpointSessions } from '@memory-context/db';
import { codes, CREATE_SESSION, DELETE_SESSION, graphql, ok, startTestStack, type TestStack } from './src/index.js';

/** Operations the checkpoint suites send, written as an agent would. */
const CHECKPOINT_FIELDS = `
  id title takenAt gitRef summary content contentBytes privacyLevel submoduleId version createdAt
  sessions { id title }
`;
const CREATE_CHECKPOINT = `mutation CreateCheckpoint($input: CreateCheckpointInput!) { createCheckpoint(input: $input) { ${CHECKPOINT_FIELDS} } }`;
const GET_CHECKPOINT = `query GetCheckpoint($id: ID!) { checkpoint(id: $id) { ${CHECKPOINT_FIELDS} } }`;
const LIST_CHECKPOINTS = `query ListCheckpoints($filter: CheckpointFilter, $first: Int, $after: String) {
  checkpoints(filter: $filter, first: $first, after: $after) { nodes { id title takenAt gitRef privacyLevel submoduleId } pageInfo { endCursor hasNextPage } }
}`;
const CHECKPOINT_CHANGES = `query CheckpointChanges($after: String, $limit: Int) {
  checkpointChanges(after: $after, limit: $limit) { changes { op id version at entity { id title version } } cursor hasMore }
}`;
const DELETE_CHECKPOINT = `mutation DeleteCheckpoint($id: ID!, $gdpr: Boolean, $reason: String, $key: String) {
  deleteCheckpoint(id: $id, gdprRequest: $gdpr, reason: $reason, idempotencyKey: $key) { id deleted purgeAfter }
}`;
const SESSION_CHECKPOINTS = `query SessionCheckpoints($id: ID!) {
  session(id: $id) { id title checkpoints { id title submoduleId sessions { id title submoduleId privacyLevel } } }
}`;

let stack: TestStack;
let tokenA: string;
let tokenB: string;
let admin: string;

const db = () => stack.deps.database.db;

async function checkpointCount(): Promise<number> {
  const [row] = await db().select({ n: count() }).from(checkpoints);
  return row?.n ?? 0;
}

async function linkedSessionIds(checkpointId: string): Promise<string[]> {
  const rows = await db().select({ id: checkpointSessions.sessionId }).from(checkpointSessions).where(eq(checkpointSessions.checkpointId, checkpointId));
  return rows.map((r) => r.id).sort();
}

async function createSession(token: string, input: Record<string, unknown>): Promise<string> {
  return ok(await graphql(stack.gatewayUrl, CREATE_SESSION, { input }, token)).createSession.id as string;
}

async function createCheckpoint(token: string, input: Record<string, unknown>) {
  return ok(await graphql(stack.gatewayUrl, CREATE_CHECKPOINT, { input }, token)).createCheckpoint;
}

function ids(nodes: Array<{ id: string }>): string[] {
  return nodes.map((n) => n.id);
}

/** Reads the whole feed as this token sees it, from `after`. */
async function drainFeed(token: string, after?: string): Promise<{ cursor: string; changes: Array<{ op: string; id: string; entity: unknown }> }> {
  let cursor = after;
  const changes: Array<{ op: string; id: string; entity: unknown }> = [];
  for (;;) {
    const page = ok(await graphql(stack.gatewayUrl, CHECKPOINT_CHANGES, { after: cursor, limit: 500 }, token)).checkpointChanges;
    changes.push(...page.changes);
    cursor = page.cursor;
    if (!page.hasMore) return { cursor: page.cursor, changes };
  }
}

beforeAll(async () => {
  stack = await startTestStack({ maxContentBytes: 64 * 1024, gdprRetentionSeconds: 1 });
  tokenA = await stack.token('cp-a');
  tokenB = await stack.token('cp-b');
  admin = await stack.token('cp-ops', ['memory:read', 'memory:write', 'memory:admin']);
});
afterAll(async () => stack?.stop());

describe('a checkpoint with linked sessions', () => {
  let teamSession: string;
  let privateSession: string;
  let checkpointId: string;

  beforeAll(async () => {
    teamSession = await createSession(tokenA, { privacyLevel: 'TEAM', title: 'Login flow', tags: ['auth'] });
    privateSession = await createSession(tokenA, { privacyLevel: 'PRIVATE', title: 'A private notebook' });
  });

  it('links each named session once, redacts its text and reads back through the gateway', async () => {
    const created = await createCheckpoint(tokenA, {
      privacyLevel: 'TEAM',
      title: 'Auth done',
      gitRef: 'a1b2c3d4',
      summary: 'Ask hello@example.com',
      content: '# Done\nLogin works. Key AKIAIOSFODNN7EXAMPLE rotated.',
      sessionIds: [teamSession, privateSession, teamSession],
    });
    checkpointId = created.id;
    expect(created).toMatchObject({ title: 'Auth done', gitRef: 'a1b2c3d4', privacyLevel: 'TEAM', submoduleId: 'cp-a', version: 1 });
    expect(created.content).toContain('[REDACTED:aws_key]');
    expect(created.content).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(created.summary).toContain('h***@example.com');
    expect(created.contentBytes).toBe(Buffer.byteLength(created.content, 'utf8'));
    expect(await linkedSessionIds(checkpointId)).toEqual([teamSession, privateSession].sort());

    const mine = ok(await graphql(stack.gatewayUrl, GET_CHECKPOINT, { id: checkpointId }, tokenA)).checkpoint;
    expect(mine.sessions).toEqual([
      { id: teamSession, title: 'Login flow' },
      { id: privateSession, title: 'A private notebook' },
    ]);
  });

  it('shows another submodule only the linked sessions it may read', async () => {
    const theirs = ok(await graphql(stack.gatewayUrl, GET_CHECKPOINT, { id: checkpointId }, tokenB)).checkpoint;
    expect(theirs.sessions).toEqual([{ id: teamSession, title: 'Login flow' }]);
  });

  it('answers Session.checkpoints, and the walk back to sessions hides PRIVATE sessions of others', async () => {
    const fromA = ok(await graphql(stack.gatewayUrl, SESSION_CHECKPOINTS, { id: teamSession }, tokenA)).session;
    expect(ids(fromA.checkpoints)).toEqual([checkpointId]);
    expect(ids(fromA.checkpoints[0].sessions)).toEqual([teamSession, privateSession]);

    const fromB = ok(await graphql(stack.gatewayUrl, SESSION_CHECKPOINTS, { id: teamSession }, tokenB)).session;
    expect(ids(fromB.checkpoints)).toEqual([checkpointId]);
    expect(ids(fromB.checkpoints[0].sessions)).toEqual([teamSession]);
    expect(JSON.stringify(fromB)).not.toContain(privateSession);
  });

  it('refuses to link a session the caller cannot read, naming it, and writes nothing', async () => {
    const before = await checkpointCount();
    const res = await graphql(stack.gatewayUrl, CREATE_CHECKPOINT, { input: { privacyLevel: 'TEAM', title: 'steal', sessionIds: [teamSession, privateSession] } }, tokenB);
    expect(codes(res)).toEqual(['NOT_FOUND']);
    expect(res.errors?.[0]?.message).toContain(privateSession);
    expect(res.errors?.[0]?.message).not.toContain(teamSession);
    const unknown = '01937f3a-1c2b-7d4e-8f90-000000000001';
    expect(codes(await graphql(stack.gatewayUrl, CREATE_CHECKPOINT, { input: { privacyLevel: 'TEAM', title: 'x', sessionIds: [unknown] } }, tokenA))).toEqual(['NOT_FOUND']);
    expect(await checkpointCount()).toBe(before);
  });

  it('never shows a PRIVATE session of another submodule, whichever way one walks', async () => {
    const bPublic = await createSession(tokenB, { privacyLevel: 'PUBLIC', title: 'B public work' });
    const bPrivate = await createSession(tokenB, { privacyLevel: 'PRIVATE', title: 'B private work' });
    const bCheckpoint = await createCheckpoint(tokenB, { privacyLevel: 'PUBLIC', title: 'B milestone', sessionIds: [bPublic, bPrivate] });
    expect(ids(bCheckpoint.sessions)).toEqual([bPublic, bPrivate]);

    const seenByA = ok(await graphql(stack.gatewayUrl, GET_CHECKPOINT, { id: bCheckpoint.id }, tokenA)).checkpoint;
    expect(ids(seenByA.sessions)).toEqual([bPublic]);
    const walk = ok(await graphql(stack.gatewayUrl, SESSION_CHECKPOINTS, { id: bPublic }, tokenA)).session;
    expect(walk.checkpoints.flatMap((c: { sessions: Array<{ id: string }> }) => ids(c.sessions))).toEqual([bPublic]);
    // The checkpoints subgraph itself, asked for the PRIVATE session by reference, resolves it to null.
    const direct = await graphql(
      stack.subgraphUrls.checkpoints,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Session { id checkpoints { id } } } }`,
      { r: [{ __typename: 'Session', id: bPrivate }] },
      tokenA,
    );
    expect(ok(direct)._entities).toEqual([null]);
  });
});

describe('auto checkpoints', () => {
  let token: string;

  beforeAll(async () => {
    token = await stack.token('cp-auto');
  });

  it('links the owner\'s sessions and summarises their titles, tags and counts', async () => {
    const s1 = await createSession(token, {
      privacyLevel: 'TEAM',
      title: 'Refactor auth',
      tags: ['auth', 'api'],
      content: [
        { role: 'user', text: 'split the module' },
        { role: 'assistant', text: 'done' },
      ],
    });
    const s2 = await createSession(token, { privacyLevel: 'PUBLIC', title: 'Fix CI', tags: ['ci'], content: [{ role: 'user', text: 'why red?' }] });
    const hidden = await createSession(token, { privacyLevel: 'PRIVATE', title: 'Private musings' });

    const cp = await createCheckpoint(token, { privacyLevel: 'TEAM', auto: true, gitRef: 'main' });
    expect(cp.title).toMatch(/^Checkpoint: 2 sessions \(\d{4}-\d{2}-\d{2}\)$/);
    expect(cp.title).toContain(cp.takenAt.slice(0, 10));
    expect(ids(cp.sessions)).toEqual([s1, s2]);
    expect(cp.summary).toContain('2 sessions so far, 3 messages in all');
    expect(cp.summary).toContain('• Refactor auth [auth, api] (2 messages)');
    expect(cp.summary).toContain('• Fix CI [ci] (1 message)');
    expect(cp.summary).toContain('Tags: api (1), auth (1), ci (1)');
    // A checkpoint others may read neither lists nor links the owner's PRIVATE sessions.
    expect(cp.summary).not.toContain('Private musings');
    expect(await linkedSessionIds(cp.id)).not.toContain(hidden);

    const privateCp = await createCheckpoint(token, { privacyLevel: 'PRIVATE', auto: true, since: '2000-01-01T00:00:00Z', title: 'Everything' });
    expect(privateCp.title).toBe('Everything');
    expect(ids(privateCp.sessions)).toEqual([s1, s2, hidden]);
    expect(privateCp.summary).toContain('3 sessions since 2000-01-01T00:00:00.000Z');
    expect(privateCp.summary).toContain('Private musings');
  });

  it('takes only the sessions since the owner\'s last checkpoint, and says so when there are none', async () => {
    const last = await createCheckpoint(token, { privacyLevel: 'TEAM', auto: true });
    expect(last.summary).toMatch(/^No sessions since /);
    expect(last.title).toMatch(/^Checkpoint: 0 sessions/);
    expect(last.sessions).toEqual([]);

    const s3 = await createSession(token, { privacyLevel: 'TEAM', title: 'After the checkpoint' });
    const next = await createCheckpoint(token, { privacyLevel: 'TEAM', auto: true, summary: 'Sprint 12 wrap-up.' });
    expect(ids(next.sessions)).toEqual([s3]);
    expect(next.summary).toMatch(/^Sprint 12 wrap-up\.\n\n1 session since /);
    expect(next.summary).toContain(`since ${last.takenAt}`);
    expect(next.summary).toContain('• After the checkpoint (0 messages)');
  });

  it('redacts the summary it writes for the checkpoint\'s level', async () => {
    const owner = await stack.token('cp-auto-pii');
    const s = await createSession(owner, { privacyLevel: 'PRIVATE', title: 'Call 555-123-4567 back' });
    // PRIVATE keeps contact data (it redacts secrets and credentials only).
    const mine = await createCheckpoint(owner, { privacyLevel: 'PRIVATE', auto: true });
    expect(ids(mine.sessions)).toEqual([s]);
    expect(mine.summary).toContain('Call 555-123-4567 back');
    const shared = await createCheckpoint(owner, { privacyLevel: 'PUBLIC', auto: true, summary: 'Reach hello@example.com, token=ghp_abcdefghijklmnopqrstuvwxyz0123456789' });
    expect(shared.summary).toContain('[REDACTED:email]');
    expect(shared.summary).not.toContain('hello@example.com');
    expect(shared.summary).not.toContain('ghp_abcdefghijklmnopqrstuvwxyz0123456789');
    expect(shared.summary).toContain('No sessions since');
  });
});

describe('access to checkpoints', () => {
  let privateId: string;
  let teamId: string;

  beforeAll(async () => {
    privateId = (await createCheckpoint(tokenA, { privacyLevel: 'PRIVATE', title: 'A private checkpoint', gitRef: 'secret-branch' })).id;
    teamId = (await createCheckpoint(tokenA, { privacyLevel: 'TEAM', title: 'A team checkpoint' })).id;
  });

  it('hides another submodule\'s PRIVATE checkpoint by id, in lists and in the feed', async () => {
    expect(codes(await graphql(stack.gatewayUrl, GET_CHECKPOINT, { id: privateId }, tokenB))).toEqual(['NOT_FOUND']);
    const list = ok(await graphql(stack.gatewayUrl, LIST_CHECKPOINTS, { first: 100, filter: { submodules: ['cp-a'] } }, tokenB)).checkpoints;
    expect(ids(list.nodes)).toContain(teamId);
    expect(ids(list.nodes)).not.toContain(privateId);
    const filtered = ok(await graphql(stack.gatewayUrl, LIST_CHECKPOINTS, { filter: { privacyLevels: ['PRIVATE'], submodules: ['cp-a'] } }, tokenB)).checkpoints;
    expect(filtered.nodes).toEqual([]);
    expect(ok(await graphql(stack.gatewayUrl, LIST_CHECKPOINTS, { filter: { gitRef: 'secret-branch' } }, tokenB)).checkpoints.nodes).toEqual([]);
    const feed = await drainFeed(tokenB);
    expect(feed.changes.map((c) => c.id)).not.toContain(privateId);
    expect(feed.changes.map((c) => c.id)).toContain(teamId);

    expect(ok(await graphql(stack.gatewayUrl, GET_CHECKPOINT, { id: privateId }, tokenA)).checkpoint.title).toBe('A private checkpoint');
    expect(ok(await graphql(stack.gatewayUrl, GET_CHECKPOINT, { id: privateId }, admin)).checkpoint.title).toBe('A private checkpoint');
    expect((await drainFeed(tokenA)).changes.map((c) => c.id)).toContain(privateId);
  });

  it('refuses writes in another submodule\'s name, except to an admin', async () => {
    const before = await checkpointCount();
    const res = await graphql(stack.gatewayUrl, CREATE_CHECKPOINT, { input: { privacyLevel: 'TEAM', title: 'x', submoduleId: 'cp-a' } }, tokenB);
    expect(codes(res)).toEqual(['FORBIDDEN']);
    expect(await checkpointCount()).toBe(before);
    const byAdmin = await createCheckpoint(admin, { privacyLevel: 'TEAM', title: 'Filed for A', submoduleId: 'cp-a' });
    expect(byAdmin.submoduleId).toBe('cp-a');
    const reader = await stack.token('cp-reader', ['memory:read']);
    expect(codes(await graphql(stack.gatewayUrl, CREATE_CHECKPOINT, { input: { privacyLevel: 'TEAM', title: 'x' } }, reader))).toEqual(['FORBIDDEN']);
  });

  it('lets only the owner or an admin delete: FORBIDDEN for a visible one, NOT_FOUND for an invisible one', async () => {
    expect(codes(await graphql(stack.gatewayUrl, DELETE_CHECKPOINT, { id: teamId }, tokenB))).toEqual(['FORBIDDEN']);
    expect(codes(await graphql(stack.gatewayUrl, DELETE_CHECKPOINT, { id: privateId }, tokenB))).toEqual(['NOT_FOUND']);
    const [row] = await db().select().from(checkpoints).where(eq(checkpoints.id, teamId));
    expect(row?.deletedAt).toBeNull();
    await stack.deps.audit.flush();
    const denied = await db()
      .select()
      .from(auditEvents)
      .where(and(inArray(auditEvents.resourceId, [teamId, privateId]), eq(auditEvents.outcome, 'DENIED')));
    expect(denied.map((d) => d.actor)).toEqual(['cp-b', 'cp-b']);
    expect(ok(await graphql(stack.gatewayUrl, DELETE_CHECKPOINT, { id: privateId }, admin)).deleteCheckpoint.deleted).toBe(true);
  });
});

describe('idempotent createCheckpoint', () => {
  it('returns the first result for a replayed key and creates nothing', async () => {
    const input = { privacyLevel: 'TEAM', title: 'Replay me', idempotencyKey: 'cp-replay-0001' };
    const first = await createCheckpoint(tokenA, input);
    const before = await checkpointCount();
    const again = await createCheckpoint(tokenA, input);
    expect(again).toEqual(first);
    expect(await checkpointCount()).toBe(before);
    const reused = await graphql(stack.gatewayUrl, CREATE_CHECKPOINT, { input: { ...input, title: 'Something else' } }, tokenA);
    expect(codes(reused)).toEqual(['BAD_USER_INPUT']);
  });

  it('creates one checkpoint for concurrent requests with one key', async () => {
    const session = await createSession(tokenA, { privacyLevel: 'TEAM', title: 'Concurrent source' });
    const before = await checkpointCount();
    const input = { privacyLevel: 'PUBLIC', title: 'Concurrent', sessionIds: [session], idempotencyKey: 'cp-concurrent-01' };
    const results = await Promise.all(Array.from({ length: 8 }, () => graphql(stack.gatewayUrl, CREATE_CHECKPOINT, { input }, tokenA)));
    const created = new Set(results.map((r) => ok(r).createCheckpoint.id as string));
    expect(created.size).toBe(1);
    expect(await checkpointCount()).toBe(before + 1);
    expect(await linkedSessionIds([...created][0]!)).toEqual([session]);
  });

  it('refuses a client-chosen id used twice without a key', async () => {
    const id = '01937f3a-1c2b-7d4e-8f90-00000000c0de';
    expect((await createCheckpoint(tokenA, { id, privacyLevel: 'TEAM', title: 'Client id' })).id).toBe(id);
    expect(codes(await graphql(stack.gatewayUrl, CREATE_CHECKPOINT, { input: { id, privacyLevel: 'TEAM', title: 'Client id' } }, tokenA))).toEqual(['CONFLICT']);
  });
});

describe('refused writes change nothing', () => {
  it('refuses EPHEMERAL with EPHEMERAL_NOT_PERSISTED', async () => {
    const before = await checkpointCount();
    expect(codes(await graphql(stack.gatewayUrl, CREATE_CHECKPOINT, { input: { privacyLevel: 'EPHEMERAL', title: 'scratch' } }, tokenA))).toEqual(['EPHEMERAL_NOT_PERSISTED']);
    expect(await checkpointCount()).toBe(before);
  });

  it('refuses content over the configured size with PAYLOAD_TOO_LARGE', async () => {
    const before = await checkpointCount();
    const res = await graphql(stack.gatewayUrl, CREATE_CHECKPOINT, { input: { privacyLevel: 'TEAM', title: 'big', content: 'x'.repeat(70 * 1024) } }, tokenA);
    expect(codes(res)).toEqual(['PAYLOAD_TOO_LARGE']);
    expect(res.errors?.[0]?.extensions).toMatchObject({ limit: 64 * 1024 });
    expect(await checkpointCount()).toBe(before);
  });

  it('refuses invalid input with BAD_USER_INPUT naming the fields', async () => {
    const before = await checkpointCount();
    const noTitle = await graphql(stack.gatewayUrl, CREATE_CHECKPOINT, { input: { privacyLevel: 'TEAM', gitRef: 'has space', sessionIds: ['nope'] } }, tokenA);
    expect(codes(noTitle)).toEqual(['BAD_USER_INPUT']);
    expect(noTitle.errors?.[0]?.message).toMatch(/input\.title/);
    expect(noTitle.errors?.[0]?.message).toMatch(/input\.gitRef/);
    expect(noTitle.errors?.[0]?.message).toMatch(/input\.sessionIds\.0/);
    const since = await graphql(stack.gatewayUrl, CREATE_CHECKPOINT, { input: { privacyLevel: 'TEAM', title: 't', since: '2026-01-01T00:00:00Z' } }, tokenA);
    expect(since.errors?.[0]?.message).toMatch(/input\.since/);
    expect(codes(await graphql(stack.gatewayUrl, CREATE_CHECKPOINT, { input: { privacyLevel: 'SECRET', title: 't' } }, tokenA))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await graphql(stack.gatewayUrl, GET_CHECKPOINT, { id: 'not-a-uuid' }, tokenA))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await graphql(stack.gatewayUrl, LIST_CHECKPOINTS, { after: 'garbage' }, tokenA))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await graphql(stack.gatewayUrl, LIST_CHECKPOINTS, { first: 1000 }, tokenA))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await graphql(stack.gatewayUrl, CHECKPOINT_CHANGES, { after: 'garbage' }, tokenA))).toEqual(['BAD_USER_INPUT']);
    expect(await checkpointCount()).toBe(before);
  });
});

describe('immutability', () => {
  let id: string;

  beforeAll(async () => {
    id = (await createCheckpoint(tokenA, { privacyLevel: 'TEAM', title: 'Carved in stone', content: 'v1' })).id;
  });

  it('has no update mutation', async () => {
    const res = await graphql(stack.gatewayUrl, `mutation { updateCheckpoint(id: "${id}", input: { title: "v2" }) { id } }`, {}, tokenA);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses a direct SQL UPDATE of a checkpoint row (database trigger)', async () => {
    await expect(db().execute(sql`update checkpoints.checkpoints set title = 'tampered' where id = ${id}`)).rejects.toThrow();
    // Even a "deletion" may not move the row to another submodule.
    await expect(db().execute(sql`update checkpoints.checkpoints set deleted_at = now(), submodule_id = 'cp-b' where id = ${id}`)).rejects.toThrow();
    const back = ok(await graphql(stack.gatewayUrl, GET_CHECKPOINT, { id }, tokenA)).checkpoint;
    expect(back).toMatchObject({ title: 'Carved in stone', content: 'v1', version: 1, submoduleId: 'cp-a' });
  });
});

describe('listing', () => {
  it('orders by takenAt then id, newest first, with filters and keyset pages', async () => {
    const token = await stack.token('cp-list');
    const at = (day: number) => `2026-03-${String(day).padStart(2, '0')}T12:00:00.000Z`;
    const made: string[] = [];
    for (const [day, ref] of [
      [1, 'v1.0'],
      [2, 'v1.1'],
      [3, 'v1.1'],
      [4, 'v2.0'],
      [4, 'v2.0'],
    ] as const) {
      made.push((await createCheckpoint(token, { privacyLevel: 'TEAM', title: `Day ${day}`, takenAt: at(day), gitRef: ref })).id);
    }
    const sameDay = [made[3]!, made[4]!].sort().reverse();
    const expected = [...sameDay, made[2]!, made[1]!, made[0]!];

    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = ok(await graphql(stack.gatewayUrl, LIST_CHECKPOINTS, { filter: { submodules: ['cp-list'] }, first: 2, after }, token)).checkpoints;
      seen.push(...ids(page.nodes));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);

    const byRef = ok(await graphql(stack.gatewayUrl, LIST_CHECKPOINTS, { filter: { submodules: ['cp-list'], gitRef: 'v1.1' } }, token)).checkpoints;
    expect(ids(byRef.nodes)).toEqual([made[2], made[1]]);
    const window = ok(await graphql(stack.gatewayUrl, LIST_CHECKPOINTS, { filter: { submodules: ['cp-list'], from: at(2), to: at(4) } }, token)).checkpoints;
    expect(ids(window.nodes)).toEqual([made[2], made[1]]);
  });
});

describe('batching', () => {
  it('loads Checkpoint.sessions and Session.checkpoints with one store query per request', async () => {
    const token = await stack.token('cp-batch');
    const made: string[] = [];
    for (let i = 0; i < 4; i++) {
      const session = await createSession(token, { privacyLevel: 'TEAM', title: `Batch session ${i}`, tags: ['batch'] });
      made.push(session);
      await createCheckpoint(token, { privacyLevel: 'TEAM', title: `Batch checkpoint ${i}`, sessionIds: [session] });
    }
    const sessionIdsFor = jest.spyOn(stack.checkpoints.store, 'sessionIdsFor');
    const checkpointsFor = jest.spyOn(stack.checkpoints.store, 'checkpointsFor');
    try {
      const list = ok(
        await graphql(stack.gatewayUrl, `query { checkpoints(filter: { submodules: ["cp-batch"] }) { nodes { id sessions { id title } } } }`, {}, token),
      ).checkpoints.nodes;
      expect(list).toHaveLength(4);
      expect(list.flatMap((n: { sessions: Array<{ id: string }> }) => ids(n.sessions)).sort()).toEqual([...made].sort());
      expect(sessionIdsFor).toHaveBeenCalledTimes(1);

      const walk = ok(
        await graphql(stack.gatewayUrl, `query { sessions(filter: { tags: ["batch"] }) { nodes { id checkpoints { id title } } } }`, {}, token),
      ).sessions.nodes;
      expect(walk).toHaveLength(4);
      expect(walk.every((n: { checkpoints: unknown[] }) => n.checkpoints.length === 1)).toBe(true);
      expect(checkpointsFor).toHaveBeenCalledTimes(1);
    } finally {
      sessionIdsFor.mockRestore();
      checkpointsFor.mockRestore();
    }
  });
});

describe('GDPR deletion of a linked session', () => {
  it('removes the link once the follower catches up; the checkpoint stays', async () => {
    const session = await createSession(tokenA, { privacyLevel: 'TEAM', title: 'Forget me' });
    const other = await createSession(tokenA, { privacyLevel: 'TEAM', title: 'Keep me' });
    const cp = await createCheckpoint(tokenA, { privacyLevel: 'TEAM', title: 'Milestone with a forgotten session', sessionIds: [session, other] });
    expect(await linkedSessionIds(cp.id)).toEqual([session, other].sort());

    ok(await graphql(stack.gatewayUrl, DELETE_SESSION, { id: session, gdpr: true, reason: 'Art. 17 request #7' }, tokenA));
    await stack.checkpoints.catchUp();

    expect(await linkedSessionIds(cp.id)).toEqual([other]);
    const back = ok(await graphql(stack.gatewayUrl, GET_CHECKPOINT, { id: cp.id }, tokenB)).checkpoint;
    expect(back).toMatchObject({ id: cp.id, title: 'Milestone with a forgotten session', version: 1 });
    expect(back.sessions).toEqual([{ id: other, title: 'Keep me' }]);
  });
});

describe('deleteCheckpoint', () => {
  const MARKER = 'CheckpointMarker9Z';
  let id: string;
  let cursor: string;
  let linked: string;

  beforeAll(async () => {
    cursor = (await drainFeed(tokenB)).cursor;
    linked = await createSession(tokenA, { privacyLevel: 'TEAM', title: 'Linked to a doomed checkpoint' });
    const cp = await createCheckpoint(tokenA, {
      privacyLevel: 'TEAM',
      title: `Doomed ${MARKER}`,
      summary: `About ${MARKER}`,
      content: `Details of ${MARKER}`,
      gitRef: 'doomed-ref',
      sessionIds: [linked],
    });
    id = cp.id;
    ok(await graphql(stack.gatewayUrl, GET_CHECKPOINT, { id }, tokenB)); // reads content: audited
  });

  it('needs a reason for a GDPR deletion', async () => {
    expect(codes(await graphql(stack.gatewayUrl, DELETE_CHECKPOINT, { id, gdpr: true }, tokenA))).toEqual(['BAD_USER_INPUT']);
  });

  it('tombstones it at once, drops its links and sends a DELETE down the feed', async () => {
    const deleted = ok(await graphql(stack.gatewayUrl, DELETE_CHECKPOINT, { id, gdpr: true, reason: 'Art. 17 request #8', key: 'cp-delete-0001' }, tokenA)).deleteCheckpoint;
    expect(deleted).toMatchObject({ id, deleted: true });
    expect(Date.parse(deleted.purgeAfter)).toBeGreaterThan(Date.now() - 5000);
    const replay = ok(await graphql(stack.gatewayUrl, DELETE_CHECKPOINT, { id, gdpr: true, reason: 'Art. 17 request #8', key: 'cp-delete-0001' }, tokenA)).deleteCheckpoint;
    expect(replay).toEqual(deleted);

    expect(codes(await graphql(stack.gatewayUrl, GET_CHECKPOINT, { id }, tokenA))).toEqual(['NOT_FOUND']);
    expect(ids(ok(await graphql(stack.gatewayUrl, LIST_CHECKPOINTS, { first: 100, filter: { submodules: ['cp-a'] } }, tokenA)).checkpoints.nodes)).not.toContain(id);
    expect(ok(await graphql(stack.gatewayUrl, SESSION_CHECKPOINTS, { id: linked }, tokenA)).session.checkpoints).toEqual([]);
    expect(codes(await graphql(stack.gatewayUrl, DELETE_CHECKPOINT, { id }, tokenA))).toEqual(['NOT_FOUND']);

    const [row] = await db().select().from(checkpoints).where(eq(checkpoints.id, id));
    expect(row).toMatchObject({ title: '', summary: null, content: null, contentHash: null, contentBytes: 0, gitRef: null, redaction: {}, version: 2 });
    expect(row?.deletedAt).toBeInstanceOf(Date);
    expect(await linkedSessionIds(id)).toEqual([]);

    const feed = await drainFeed(tokenB, cursor);
    const mine = feed.changes.filter((c) => c.id === id);
    expect(mine.length).toBeGreaterThanOrEqual(1);
    expect(mine.at(-1)).toMatchObject({ op: 'DELETE', entity: null });
    expect(mine.every((c) => c.op === 'DELETE')).toBe(true);
  });

  it('keeps the content only in the archive, then purges it after the retention window', async () => {
    const archived = await db().select().from(checkpointArchive).where(eq(checkpointArchive.entityId, id));
    expect(archived).toHaveLength(1);
    expect(JSON.stringify(archived[0]?.payload)).toContain(MARKER);
    const live = await db().execute(sql`select count(*)::int as n from checkpoints.checkpoints t where t::text ilike ${`%${MARKER}%`}`);
    const rows = Array.isArray(live) ? live : (live as unknown as { rows: unknown[] }).rows;
    expect(rows).toEqual([{ n: 0 }]);

    await new Promise((resolve) => setTimeout(resolve, 1200));
    const { purged } = await stack.checkpoints.runMaintenance();
    expect(purged).toContain(id);
    expect(await db().select().from(checkpointArchive).where(eq(checkpointArchive.entityId, id))).toEqual([]);
  });

  it('keeps metadata of every access in the audit trail, never the content', async () => {
    await stack.deps.audit.flush();
    const events = await db().select().from(auditEvents).where(eq(auditEvents.resourceId, id));
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['checkpoint.create', 'checkpoint.read_content', 'checkpoint.gdpr_delete']));
    expect(events.find((e) => e.action === 'checkpoint.gdpr_delete')).toMatchObject({ actor: 'cp-a', reason: 'Art. 17 request #8', outcome: 'SUCCESS' });
    expect(JSON.stringify(events)).not.toContain(MARKER);
  });
});
