import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sessions } from '@memory-context/db';
import { codes, CREATE_SESSION, DELETE_SESSION, graphql, LIST_SESSIONS, ok, SESSION_CHANGES, startTestStack, UPDATE_SESSION, type TestStack } from './src/index.js';

let stack: TestStack;
let token: string;

async function sessionCount(): Promise<number> {
  const [row] = await stack.deps.database.db.select({ n: count() }).from(sessions);
  return row?.n ?? 0;
}

beforeAll(async () => {
  stack = await startTestStack({ maxContentBytes: 64 * 1024 });
  token = await stack.token('writer');
});
afterAll(async () => stack?.stop());

describe('idempotent createSession', () => {
  it('returns the first result for a replayed key and creates nothing', async () => {
    const input = { privacyLevel: 'TEAM', title: 'Replay me', idempotencyKey: 'replay-key-0001' };
    const first = ok(await graphql(stack.gatewayUrl, CREATE_SESSION, { input }, token)).createSession;
    const before = await sessionCount();
    const second = ok(await graphql(stack.gatewayUrl, CREATE_SESSION, { input }, token)).createSession;
    expect(second.id).toBe(first.id);
    expect(second.version).toBe(1);
    expect(await sessionCount()).toBe(before);
  });

  it('refuses a key reused for a different request', async () => {
    const res = await graphql(stack.gatewayUrl, CREATE_SESSION, { input: { privacyLevel: 'TEAM', title: 'Something else', idempotencyKey: 'replay-key-0001' } }, token);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
  });

  it('creates one session for concurrent requests with one key', async () => {
    const before = await sessionCount();
    const input = { privacyLevel: 'PUBLIC', title: 'Concurrent', idempotencyKey: 'concurrent-key-01' };
    const results = await Promise.all(Array.from({ length: 8 }, () => graphql(stack.gatewayUrl, CREATE_SESSION, { input }, token)));
    const ids = new Set(results.map((r) => ok(r).createSession.id));
    expect(ids.size).toBe(1);
    expect(await sessionCount()).toBe(before + 1);
  });

  it('keeps keys per submodule: another submodule may use the same key', async () => {
    const other = await stack.token('other-writer');
    const input = { privacyLevel: 'TEAM', title: 'Replay me', idempotencyKey: 'replay-key-0001' };
    const mine = ok(await graphql(stack.gatewayUrl, CREATE_SESSION, { input }, token)).createSession;
    const theirs = ok(await graphql(stack.gatewayUrl, CREATE_SESSION, { input }, other)).createSession;
    expect(theirs.id).not.toBe(mine.id);
  });

  it('accepts a client-generated id and refuses it twice without a key', async () => {
    const id = '01937f3a-1c2b-7d4e-8f90-123456789abc';
    expect(ok(await graphql(stack.gatewayUrl, CREATE_SESSION, { input: { id, privacyLevel: 'TEAM', title: 'Client id' } }, token)).createSession.id).toBe(id);
    expect(codes(await graphql(stack.gatewayUrl, CREATE_SESSION, { input: { id, privacyLevel: 'TEAM', title: 'Client id' } }, token))).toEqual(['CONFLICT']);
  });
});

describe('optimistic concurrency on updateSession', () => {
  it('gets CONFLICT with the current version for a stale baseVersion', async () => {
    const created = ok(await graphql(stack.gatewayUrl, CREATE_SESSION, { input: { privacyLevel: 'TEAM', title: 'v1' } }, token)).createSession;
    const v2 = ok(await graphql(stack.gatewayUrl, UPDATE_SESSION, { id: created.id, baseVersion: 1, input: { title: 'v2' } }, token)).updateSession;
    expect(v2.version).toBe(2);
    const stale = await graphql(stack.gatewayUrl, UPDATE_SESSION, { id: created.id, baseVersion: 1, input: { title: 'lost' } }, token);
    expect(codes(stale)).toEqual(['CONFLICT']);
    expect(stale.errors?.[0]?.extensions?.currentVersion).toBe(2);
  });

  it('replays an update with the same key instead of reporting a conflict', async () => {
    const created = ok(await graphql(stack.gatewayUrl, CREATE_SESSION, { input: { privacyLevel: 'TEAM', title: 'u1' } }, token)).createSession;
    const vars = { id: created.id, baseVersion: 1, input: { title: 'u2', idempotencyKey: 'update-key-0001' } };
    const first = ok(await graphql(stack.gatewayUrl, UPDATE_SESSION, vars, token)).updateSession;
    const replay = ok(await graphql(stack.gatewayUrl, UPDATE_SESSION, vars, token)).updateSession;
    expect(replay).toMatchObject({ id: first.id, version: 2, title: 'u2' });
  });

  it('re-redacts stored text when the privacy level is raised to PUBLIC', async () => {
    const created = ok(
      await graphql(stack.gatewayUrl, CREATE_SESSION, { input: { privacyLevel: 'PRIVATE', title: 'Contact', content: [{ role: 'user', text: 'write to hello@example.com' }] } }, token),
    ).createSession;
    expect(created.content[0].text).toContain('hello@example.com');
    const updated = ok(await graphql(stack.gatewayUrl, UPDATE_SESSION, { id: created.id, baseVersion: 1, input: { privacyLevel: 'PUBLIC' } }, token)).updateSession;
    expect(updated.content[0].text).not.toContain('hello@example.com');
    expect(updated.redaction.total).toBe(1);
  });
});

describe('refused writes change nothing', () => {
  it('refuses EPHEMERAL with EPHEMERAL_NOT_PERSISTED', async () => {
    const before = await sessionCount();
    const res = await graphql(stack.gatewayUrl, CREATE_SESSION, { input: { privacyLevel: 'EPHEMERAL', title: 'scratch' } }, token);
    expect(codes(res)).toEqual(['EPHEMERAL_NOT_PERSISTED']);
    expect(await sessionCount()).toBe(before);
  });

  it('refuses content over the configured size with PAYLOAD_TOO_LARGE', async () => {
    const before = await sessionCount();
    const content = [{ role: 'user', text: 'x'.repeat(70 * 1024) }];
    const res = await graphql(stack.gatewayUrl, CREATE_SESSION, { input: { privacyLevel: 'TEAM', title: 'big', content } }, token);
    expect(codes(res)).toEqual(['PAYLOAD_TOO_LARGE']);
    expect(await sessionCount()).toBe(before);
  });

  it('refuses invalid fields with BAD_USER_INPUT naming them', async () => {
    const res = await graphql(stack.gatewayUrl, CREATE_SESSION, { input: { privacyLevel: 'TEAM', title: '   ', tags: ['a'.repeat(100)] } }, token);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors?.[0]?.message).toMatch(/input\.title/);
    expect(res.errors?.[0]?.message).toMatch(/input\.tags/);
    expect(codes(await graphql(stack.gatewayUrl, UPDATE_SESSION, { id: 'not-a-uuid', baseVersion: 1, input: {} }, token))).toEqual(['BAD_USER_INPUT']);
  });

  it('needs a reason for a GDPR deletion', async () => {
    const created = ok(await graphql(stack.gatewayUrl, CREATE_SESSION, { input: { privacyLevel: 'TEAM', title: 'keep' } }, token)).createSession;
    expect(codes(await graphql(stack.gatewayUrl, DELETE_SESSION, { id: created.id, gdpr: true }, token))).toEqual(['BAD_USER_INPUT']);
    const [row] = await stack.deps.database.db.select().from(sessions).where(eq(sessions.id, created.id));
    expect(row?.deletedAt).toBeNull();
  });
});

describe('pagination', () => {
  it('pages through sessions created in the same millisecond without skipping or repeating', async () => {
    const pager = await stack.token('pager');
    const created = await Promise.all(Array.from({ length: 12 }, (_, i) => graphql(stack.gatewayUrl, CREATE_SESSION, { input: { privacyLevel: 'PRIVATE', title: `page ${i}` } }, pager)));
    const expected = created.map((r) => ok(r).createSession.id).sort();
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: any = ok(await graphql(stack.gatewayUrl, LIST_SESSIONS, { filter: { submodules: ['pager'] }, first: 2, after }, pager)).sessions;
      seen.push(...page.nodes.map((n: { id: string }) => n.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(seen.slice().sort()).toEqual(expected);
  });
});

describe('change feed', () => {
  it('pages in order and turns a loss of access into a DELETE for the reader', async () => {
    const owner = await stack.token('feed-owner');
    const reader = await stack.token('feed-reader');
    const start = ok(await graphql(stack.gatewayUrl, SESSION_CHANGES, { limit: 500 }, reader)).sessionChanges;
    let cursor: string = start.cursor;
    while (true) {
      const page = ok(await graphql(stack.gatewayUrl, SESSION_CHANGES, { after: cursor, limit: 500 }, reader)).sessionChanges;
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
    const created = ok(await graphql(stack.gatewayUrl, CREATE_SESSION, { input: { privacyLevel: 'TEAM', title: 'shared then private' } }, owner)).createSession;
    await graphql(stack.gatewayUrl, UPDATE_SESSION, { id: created.id, baseVersion: 1, input: { privacyLevel: 'PRIVATE' } }, owner);
    const hidden = ok(await graphql(stack.gatewayUrl, CREATE_SESSION, { input: { privacyLevel: 'PRIVATE', title: 'never shared' } }, owner)).createSession;

    const page1 = ok(await graphql(stack.gatewayUrl, SESSION_CHANGES, { after: cursor, limit: 1 }, reader)).sessionChanges;
    expect(page1.hasMore).toBe(true);
    const page2 = ok(await graphql(stack.gatewayUrl, SESSION_CHANGES, { after: page1.cursor, limit: 10 }, reader)).sessionChanges;
    const seen = [...page1.changes, ...page2.changes];
    expect(seen.map((c: { id: string; op: string }) => [c.id, c.op])).toEqual([
      [created.id, 'DELETE'],
      [created.id, 'DELETE'],
    ]);
    expect(seen.every((c: { entity: unknown }) => c.entity === null)).toBe(true);
    expect(seen.map((c: { id: string }) => c.id)).not.toContain(hidden.id);

    const ownerView = ok(await graphql(stack.gatewayUrl, SESSION_CHANGES, { after: cursor, limit: 10 }, owner)).sessionChanges;
    expect(ownerView.changes.map((c: { id: string; op: string }) => c.op)).toEqual(['UPSERT', 'UPSERT', 'UPSERT']);
  });

  it('rejects a cursor it did not issue', async () => {
    expect(codes(await graphql(stack.gatewayUrl, SESSION_CHANGES, { after: 'garbage' }, token))).toEqual(['BAD_USER_INPUT']);
  });
});
