import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { auditEvents } from '@memory-context/db';
import { codes, CREATE_SESSION, DELETE_SESSION, GET_SESSION, graphql, LIST_SESSIONS, ok, startTestStack, UPDATE_SESSION, type TestStack } from './src/index.js';

let stack: TestStack;
let tokenA: string;
let tokenB: string;
let admin: string;

const PII = 'Reach me at hello@example.com or 555-123-4567. AWS key AKIAIOSFODNN7EXAMPLE, card 4242 4242 4242 4242.';

beforeAll(async () => {
  stack = await startTestStack();
  tokenA = await stack.token('submodule-a');
  tokenB = await stack.token('submodule-b');
  admin = await stack.token('ops', ['memory:read', 'memory:write', 'memory:admin']);
});
afterAll(async () => stack?.stop());

describe('a TEAM session with PII, written by A and read by B', () => {
  let teamId: string;

  it('stores masked forms and counts them in the redaction summary', async () => {
    const data = ok(
      await graphql(stack.gatewayUrl, CREATE_SESSION, {
        input: { privacyLevel: 'TEAM', title: 'Login flow', tags: ['auth'], content: [{ role: 'user', text: PII }] },
      }, tokenA),
    );
    const session = data.createSession;
    teamId = session.id;
    const text: string = session.content[0].text;
    expect(text).toContain('h***@example.com');
    expect(text).toContain('555-***-4567');
    expect(text).toContain('****-****-****-4242');
    expect(text).toContain('[REDACTED:aws_key]');
    expect(text).not.toContain('hello@example.com');
    expect(text).not.toContain('AKIAIOSFODNN7EXAMPLE');
    const counts = Object.fromEntries(session.redaction.counts.map((c: { kind: string; count: number }) => [c.kind, c.count]));
    expect(counts).toMatchObject({ email: 1, phone: 1, aws_key: 1, credit_card: 1 });
    expect(session.redaction.total).toBe(4);
    expect(session.submodule.id).toBe('submodule-a');
    expect(session.version).toBe(1);
  });

  it('keeps the write in the audit trail, without content', async () => {
    const rows = await stack.deps.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.resourceId, teamId), eq(auditEvents.action, 'session.create')));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor: 'submodule-a', outcome: 'SUCCESS', submoduleId: 'submodule-a', resourceType: 'session' });
    expect(JSON.stringify(rows[0])).not.toContain('example.com');
  });

  it('lets B read it by id and in lists', async () => {
    const byId = ok(await graphql(stack.gatewayUrl, GET_SESSION, { id: teamId }, tokenB));
    expect(byId.session.title).toBe('Login flow');
    const list = ok(await graphql(stack.gatewayUrl, LIST_SESSIONS, { filter: { tags: ['auth'] } }, tokenB));
    expect(list.sessions.nodes.map((n: { id: string }) => n.id)).toContain(teamId);
  });

  it('lists content when the selection asks for it, also through a fragment', async () => {
    const query = `query { sessions(filter: { tags: ["auth"] }) { nodes { id ...Conversation } } }
      fragment Conversation on Session { content { text } redaction { total } }`;
    const list = ok(await graphql(stack.gatewayUrl, query, {}, tokenB));
    const node = list.sessions.nodes.find((n: { id: string }) => n.id === teamId);
    expect(node.content[0].text).toContain('h***@example.com');
    expect(node.redaction.total).toBe(4);
  });

  it('refuses B an update or a delete of A\'s session, and audits the attempt', async () => {
    const update = await graphql(stack.gatewayUrl, UPDATE_SESSION, { id: teamId, baseVersion: 1, input: { title: 'hijacked' } }, tokenB);
    expect(codes(update)).toEqual(['FORBIDDEN']);
    const del = await graphql(stack.gatewayUrl, DELETE_SESSION, { id: teamId }, tokenB);
    expect(codes(del)).toEqual(['FORBIDDEN']);
    const after = ok(await graphql(stack.gatewayUrl, GET_SESSION, { id: teamId }, tokenA));
    expect(after.session).toMatchObject({ title: 'Login flow', version: 1 });
    await stack.deps.audit.flush();
    const denied = await stack.deps.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.resourceId, teamId), eq(auditEvents.outcome, 'DENIED')));
    expect(denied.map((d) => d.actor)).toEqual(['submodule-b', 'submodule-b']);
  });

  it('lets an admin update it', async () => {
    const data = ok(await graphql(stack.gatewayUrl, UPDATE_SESSION, { id: teamId, baseVersion: 1, input: { title: 'Login flow (reviewed)' } }, admin));
    expect(data.updateSession).toMatchObject({ title: 'Login flow (reviewed)', version: 2, submoduleId: 'submodule-a' });
  });
});

describe('A\'s PRIVATE session', () => {
  let privateId: string;

  beforeAll(async () => {
    const data = ok(
      await graphql(stack.gatewayUrl, CREATE_SESSION, {
        input: { privacyLevel: 'PRIVATE', title: 'Secret plans', tags: ['private-tag'], content: [{ role: 'user', text: 'my email hello@example.com, password=hunter2' }] },
      }, tokenA),
    );
    privateId = data.createSession.id;
    // PRIVATE keeps contact data but never secrets or credentials.
    expect(data.createSession.content[0].text).toContain('hello@example.com');
    expect(data.createSession.content[0].text).not.toContain('hunter2');
  });

  it('is invisible to B by id and in lists', async () => {
    expect(codes(await graphql(stack.gatewayUrl, GET_SESSION, { id: privateId }, tokenB))).toEqual(['NOT_FOUND']);
    const list = ok(await graphql(stack.gatewayUrl, LIST_SESSIONS, { first: 100 }, tokenB));
    expect(list.sessions.nodes.map((n: { id: string }) => n.id)).not.toContain(privateId);
    const filtered = ok(await graphql(stack.gatewayUrl, LIST_SESSIONS, { filter: { privacyLevels: ['PRIVATE'], submodules: ['submodule-a'] } }, tokenB));
    expect(filtered.sessions.nodes).toEqual([]);
  });

  it('cannot be updated or deleted by B, who is told it does not exist', async () => {
    expect(codes(await graphql(stack.gatewayUrl, UPDATE_SESSION, { id: privateId, baseVersion: 1, input: { title: 'x' } }, tokenB))).toEqual(['NOT_FOUND']);
    expect(codes(await graphql(stack.gatewayUrl, DELETE_SESSION, { id: privateId }, tokenB))).toEqual(['NOT_FOUND']);
  });

  it('is readable by A and by an admin, and deletable by an admin', async () => {
    expect(ok(await graphql(stack.gatewayUrl, GET_SESSION, { id: privateId }, tokenA)).session.title).toBe('Secret plans');
    expect(ok(await graphql(stack.gatewayUrl, GET_SESSION, { id: privateId }, admin)).session.title).toBe('Secret plans');
    expect(ok(await graphql(stack.gatewayUrl, DELETE_SESSION, { id: privateId }, admin)).deleteSession.deleted).toBe(true);
    expect(codes(await graphql(stack.gatewayUrl, GET_SESSION, { id: privateId }, tokenA))).toEqual(['NOT_FOUND']);
  });

  it('never lets B write in A\'s name', async () => {
    const res = await graphql(stack.gatewayUrl, CREATE_SESSION, { input: { privacyLevel: 'TEAM', title: 'x', submoduleId: 'submodule-a' } }, tokenB);
    expect(codes(res)).toEqual(['FORBIDDEN']);
  });

  it('needs the write scope to write', async () => {
    const reader = await stack.token('reader', ['memory:read']);
    const res = await graphql(stack.gatewayUrl, CREATE_SESSION, { input: { privacyLevel: 'TEAM', title: 'x' } }, reader);
    expect(codes(res)).toEqual(['FORBIDDEN']);
  });
});
