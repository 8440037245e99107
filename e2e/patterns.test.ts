import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { codes, CREATE_SESSION, DELETE_SESSION, graphql, ok, startTestStack, type TestStack } from './src/index.js';

const RECORD = `mutation Record($input: RecordPatternInput!) {
  recordPattern(input: $input) { outcome pattern { id kind name body tags occurrences usageCount submoduleId privacyLevel version sourceSessions { id submoduleId } } }
}`;
const GET = `query Get($id: ID!) { pattern(id: $id) { id name occurrences usageCount sourceSessions { id title } } }`;
const LIST = `query List($filter: PatternFilter, $orderBy: PatternOrder, $first: Int, $after: String) {
  patterns(filter: $filter, orderBy: $orderBy, first: $first, after: $after) { nodes { id name occurrences usageCount } pageInfo { endCursor hasNextPage } }
}`;
const USE = `mutation Use($id: ID!, $key: String) { usePattern(id: $id, idempotencyKey: $key) { id usageCount } }`;
const DELETE = `mutation Delete($id: ID!, $gdpr: Boolean, $reason: String) { deletePattern(id: $id, gdprRequest: $gdpr, reason: $reason) { id deleted } }`;
const CHANGES = `query Changes($after: String) { patternChanges(after: $after, limit: 500) { changes { op id version entity { id name } } cursor hasMore } }`;

let stack: TestStack;
let a: string;
let b: string;
let admin: string;

async function session(token: string, privacyLevel = 'TEAM', title = 'a session'): Promise<string> {
  return ok(await graphql(stack.gatewayUrl, CREATE_SESSION, { input: { privacyLevel, title } }, token)).createSession.id;
}

async function record(token: string, input: Record<string, unknown>) {
  return ok(await graphql(stack.gatewayUrl, RECORD, { input }, token)).recordPattern;
}

beforeAll(async () => {
  stack = await startTestStack();
  a = await stack.token('patterns-a');
  b = await stack.token('patterns-b');
  admin = await stack.token('patterns-admin', ['memory:read', 'memory:write', 'memory:admin']);
});
afterAll(async () => stack?.stop());

describe('recordPattern deduplicates', () => {
  it('merges the same lesson learned twice, and across submodules when shared', async () => {
    const s1 = await session(a);
    const s2 = await session(a);
    const s3 = await session(b);
    const lesson = { kind: 'ERROR_FIX', name: 'Retry on ECONNRESET with backoff', body: { fix: 'Wrap the call in retry() with jitter' }, privacyLevel: 'TEAM' };
    const first = await record(a, { ...lesson, tags: ['network'], sourceSessionIds: [s1] });
    expect(first.outcome).toBe('CREATED');
    expect(first.pattern.occurrences).toBe(1);

    const again = await record(a, { ...lesson, name: '  retry on econnreset   WITH backoff. ', body: { Fix: 'wrap the call in retry() with jitter' }, sourceSessionIds: [s2] });
    expect(again.outcome).toBe('MERGED');
    expect(again.pattern.id).toBe(first.pattern.id);
    expect(again.pattern.occurrences).toBe(2);

    const fromB = await record(b, { ...lesson, privacyLevel: 'PUBLIC', tags: ['http'], sourceSessionIds: [s3] });
    expect(fromB).toMatchObject({ outcome: 'MERGED', pattern: { id: first.pattern.id, occurrences: 3, submoduleId: 'patterns-a' } });
    expect(fromB.pattern.tags.sort()).toEqual(['http', 'network']);
    expect(fromB.pattern.sourceSessions.map((s: { submoduleId: string }) => s.submoduleId).sort()).toEqual(['patterns-a', 'patterns-a', 'patterns-b']);
  });

  it('never merges a PRIVATE pattern across submodules', async () => {
    const lesson = { kind: 'CONVENTION', name: 'Use kebab-case file names', privacyLevel: 'PRIVATE' };
    const mine = await record(a, lesson);
    const theirs = await record(b, lesson);
    expect(mine.outcome).toBe('CREATED');
    expect(theirs.outcome).toBe('CREATED');
    expect(theirs.pattern.id).not.toBe(mine.pattern.id);
    expect((await record(a, lesson)).pattern).toMatchObject({ id: mine.pattern.id, occurrences: 2 });
    // The shared copy of the same lesson is a third pattern.
    const shared = await record(a, { ...lesson, privacyLevel: 'TEAM' });
    expect(shared.outcome).toBe('CREATED');
  });

  it('replays an idempotency key without counting twice', async () => {
    const input = { kind: 'WORKFLOW', name: 'Release on Tuesdays', privacyLevel: 'TEAM', idempotencyKey: 'pattern-key-0001' };
    const first = await record(a, input);
    const replay = await record(a, input);
    expect(replay).toMatchObject({ outcome: 'CREATED', pattern: { id: first.pattern.id, occurrences: 1 } });
  });

  it('redacts the body for the level before storing and fingerprinting', async () => {
    const created = await record(a, { kind: 'SOLUTION', name: 'Seed the test user', privacyLevel: 'PUBLIC', body: { steps: ['login as admin@example.com', 'token ghp_abcdefghijklmnopqrstuvwxyz0123456789'] } });
    const text = JSON.stringify(created.pattern.body);
    expect(text).not.toContain('admin@example.com');
    expect(text).not.toContain('ghp_abcdefghijklmnopqrstuvwxyz0123456789');
  });
});

describe('access rules', () => {
  it('hides another submodule\'s PRIVATE pattern and refuses foreign writes', async () => {
    const secret = await record(a, { kind: 'SOLUTION', name: 'Internal only trick', privacyLevel: 'PRIVATE' });
    expect(codes(await graphql(stack.gatewayUrl, GET, { id: secret.pattern.id }, b))).toEqual(['NOT_FOUND']);
    const listed = ok(await graphql(stack.gatewayUrl, LIST, { first: 100 }, b)).patterns.nodes.map((n: { id: string }) => n.id);
    expect(listed).not.toContain(secret.pattern.id);
    expect(codes(await graphql(stack.gatewayUrl, RECORD, { input: { kind: 'SOLUTION', name: 'x', privacyLevel: 'TEAM', submoduleId: 'patterns-a' } }, b))).toEqual(['FORBIDDEN']);
    const shared = await record(a, { kind: 'SOLUTION', name: 'Shared trick', privacyLevel: 'TEAM' });
    expect(codes(await graphql(stack.gatewayUrl, DELETE, { id: shared.pattern.id }, b))).toEqual(['FORBIDDEN']);
    expect(codes(await graphql(stack.gatewayUrl, DELETE, { id: secret.pattern.id }, b))).toEqual(['NOT_FOUND']);
    expect(ok(await graphql(stack.gatewayUrl, DELETE, { id: secret.pattern.id }, admin)).deletePattern.deleted).toBe(true);
  });

  it('refuses invalid kinds, EPHEMERAL, unknown or unreadable source sessions', async () => {
    expect(codes(await graphql(stack.gatewayUrl, RECORD, { input: { kind: 'GOSSIP', name: 'x', privacyLevel: 'TEAM' } }, a))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await graphql(stack.gatewayUrl, RECORD, { input: { kind: 'SOLUTION', name: 'x', privacyLevel: 'EPHEMERAL' } }, a))).toEqual(['EPHEMERAL_NOT_PERSISTED']);
    const hidden = await session(a, 'PRIVATE');
    expect(codes(await graphql(stack.gatewayUrl, RECORD, { input: { kind: 'SOLUTION', name: 'x', privacyLevel: 'TEAM', sourceSessionIds: [hidden] } }, b))).toEqual(['NOT_FOUND']);
    expect(codes(await graphql(stack.gatewayUrl, RECORD, { input: { kind: 'SOLUTION', name: 'x', privacyLevel: 'TEAM', sourceSessionIds: ['nope'] } }, b))).toEqual(['BAD_USER_INPUT']);
  });

  it('never shows another submodule\'s PRIVATE session anywhere in a walk', async () => {
    const teamSession = await session(a, 'TEAM', 'shared session');
    const privateSession = await session(a, 'PRIVATE', 'private session');
    const lesson = await record(a, { kind: 'ANTI_PATTERN', name: 'Global mutable config', privacyLevel: 'TEAM', sourceSessionIds: [teamSession, privateSession] });
    const walk = `query Walk($id: ID!) { session(id: $id) { id patterns { id name sourceSessions { id title patterns { id } } } } }`;
    const asB = ok(await graphql(stack.gatewayUrl, walk, { id: teamSession }, b)).session;
    const sources = asB.patterns.find((p: { id: string }) => p.id === lesson.pattern.id).sourceSessions.map((s: { id: string }) => s.id);
    expect(sources).toEqual([teamSession]);
    expect(JSON.stringify(asB)).not.toContain(privateSession);
    const asA = ok(await graphql(stack.gatewayUrl, walk, { id: teamSession }, a)).session;
    expect(asA.patterns.find((p: { id: string }) => p.id === lesson.pattern.id).sourceSessions.map((s: { id: string }) => s.id).sort()).toEqual([teamSession, privateSession].sort());
  });
});

describe('use, order, filter, page', () => {
  it('counts uses and orders by usage, occurrences and recency with stable cursors', async () => {
    const p1 = await record(a, { kind: 'SOLUTION', name: 'Used a lot', privacyLevel: 'TEAM', tags: ['order-test'] });
    const p2 = await record(a, { kind: 'SOLUTION', name: 'Used once', privacyLevel: 'TEAM', tags: ['order-test'] });
    const p3 = await record(a, { kind: 'ERROR_FIX', name: 'Never used', privacyLevel: 'TEAM', tags: ['order-test'] });
    for (let i = 0; i < 3; i++) ok(await graphql(stack.gatewayUrl, USE, { id: p1.pattern.id }, b));
    ok(await graphql(stack.gatewayUrl, USE, { id: p2.pattern.id, key: 'use-key-00000001' }, b));
    expect(ok(await graphql(stack.gatewayUrl, USE, { id: p2.pattern.id, key: 'use-key-00000001' }, b)).usePattern.usageCount).toBe(1);
    await record(a, { kind: 'ERROR_FIX', name: 'Never used', privacyLevel: 'TEAM' }); // p3 occurrences 2

    const byUsage = ok(await graphql(stack.gatewayUrl, LIST, { filter: { tags: ['order-test'] }, orderBy: 'USAGE', first: 2 }, b)).patterns;
    expect(byUsage.nodes.map((n: { id: string }) => n.id)).toEqual([p1.pattern.id, p2.pattern.id]);
    expect(byUsage.pageInfo.hasNextPage).toBe(true);
    const rest = ok(await graphql(stack.gatewayUrl, LIST, { filter: { tags: ['order-test'] }, orderBy: 'USAGE', first: 2, after: byUsage.pageInfo.endCursor }, b)).patterns;
    expect(rest.nodes.map((n: { id: string }) => n.id)).toEqual([p3.pattern.id]);
    expect(rest.pageInfo.hasNextPage).toBe(false);
    expect(codes(await graphql(stack.gatewayUrl, LIST, { orderBy: 'OCCURRENCES', after: byUsage.pageInfo.endCursor }, b))).toEqual(['BAD_USER_INPUT']);

    const frequent = ok(await graphql(stack.gatewayUrl, LIST, { filter: { tags: ['order-test'], minOccurrences: 2, kinds: ['ERROR_FIX'] }, orderBy: 'OCCURRENCES' }, b)).patterns;
    expect(frequent.nodes.map((n: { id: string }) => n.id)).toEqual([p3.pattern.id]);
    const recent = ok(await graphql(stack.gatewayUrl, LIST, { filter: { tags: ['order-test'] }, orderBy: 'RECENT', first: 1 }, b)).patterns;
    expect(recent.nodes[0].id).toBe(p3.pattern.id);
  });
});

describe('across subgraphs', () => {
  it('resolves Session.patterns for a page of sessions with one batched store call', async () => {
    const ids = await Promise.all(Array.from({ length: 5 }, (_, i) => session(a, 'TEAM', `batch ${i}`)));
    await record(a, { kind: 'SOLUTION', name: 'Batched lesson', privacyLevel: 'TEAM', sourceSessionIds: ids, tags: ['batch'] });
    const spy = jest.spyOn(stack.patterns.store, 'patternsOfSessions');
    const page = ok(await graphql(stack.gatewayUrl, `{ sessions(first: 5) { nodes { id patterns { name } } } }`, {}, b)).sessions.nodes;
    expect(page).toHaveLength(5);
    expect(page.every((n: { patterns: Array<{ name: string }> }) => n.patterns.some((p) => p.name === 'Batched lesson'))).toBe(true);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });

  it('GDPR deletion of a session removes its links; a pattern with other sources stays, one without goes', async () => {
    const keep = await session(a, 'TEAM', 'keeper');
    const doomed = await session(a, 'TEAM', 'doomed');
    const shared = await record(a, { kind: 'WORKFLOW', name: 'Two sources', privacyLevel: 'TEAM', sourceSessionIds: [keep, doomed] });
    const single = await record(a, { kind: 'WORKFLOW', name: 'One source', privacyLevel: 'TEAM', sourceSessionIds: [doomed] });
    const before = ok(await graphql(stack.gatewayUrl, CHANGES, {}, b)).patternChanges.cursor;
    ok(await graphql(stack.gatewayUrl, DELETE_SESSION, { id: doomed, gdpr: true, reason: 'erasure request' }, a));
    await stack.patterns.catchUp();
    const stays = ok(await graphql(stack.gatewayUrl, GET, { id: shared.pattern.id }, a)).pattern;
    expect(stays.sourceSessions.map((s: { id: string }) => s.id)).toEqual([keep]);
    expect(codes(await graphql(stack.gatewayUrl, GET, { id: single.pattern.id }, a))).toEqual(['NOT_FOUND']);
    const feed = ok(await graphql(stack.gatewayUrl, CHANGES, { after: before }, b)).patternChanges.changes;
    expect(feed).toContainEqual(expect.objectContaining({ id: single.pattern.id, op: 'DELETE', entity: null }));
  });
});
