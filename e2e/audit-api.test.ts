import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sessions } from '@memory-context/db';
import { createClient } from '@memory-context/sdk';
import { codes, DELETE_SESSION, GET_SESSION, graphql, ok, startTestStack, type TestStack } from './src/index.js';

const AUDIT_EVENTS = `query Audit($filter: AuditEventFilter, $first: Int, $after: String) {
  auditEvents(filter: $filter, first: $first, after: $after) {
    nodes { seq at actor action resourceType resourceId submoduleId reason requestId outcome details }
    pageInfo { endCursor hasNextPage }
  }
}`;
/** Selects no content, so creating writes no read event. */
const CREATE_SESSION = 'mutation Create($input: CreateSessionInput!) { createSession(input: $input) { id } }';
const REASON = 'x-memctx-access-reason';
const CONTENT_MARKER = 'zebra-quartz-content-marker';

interface AuditNode {
  seq: string;
  at: string;
  actor: string;
  action: string;
  resourceType: string;
  resourceId: string | null;
  submoduleId: string | null;
  reason: string | null;
  requestId: string | null;
  outcome: string;
  details: Record<string, unknown> | null;
}
interface AuditPage {
  auditEvents: { nodes: AuditNode[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } };
}

let stack: TestStack;
let admin: string;
let writer: string;

async function createSession(title: string, headers: Record<string, string> = {}): Promise<string> {
  const input = { privacyLevel: 'TEAM', title, content: [{ role: 'user', text: `${CONTENT_MARKER} ${title}` }] };
  return ok(await graphql(stack.gatewayUrl, CREATE_SESSION, { input }, writer, headers)).createSession.id as string;
}

/** Every buffered read event is written before the trail is asked. */
async function auditEvents(variables: Record<string, unknown>, token = admin) {
  await stack.deps.audit.flush();
  return graphql<AuditPage>(stack.gatewayUrl, AUDIT_EVENTS, variables, token);
}

beforeAll(async () => {
  stack = await startTestStack();
  admin = await stack.token('ops', ['memory:read', 'memory:admin']);
  writer = await stack.token('audit-writer');
});
afterAll(async () => stack?.stop());

describe('access reasons', () => {
  it('a write and a read carry the x-memctx-access-reason header into their audit events', async () => {
    const id = await createSession('reasoned', { [REASON]: 'ticket OPS-12: import' });
    ok(await graphql(stack.gatewayUrl, GET_SESSION, { id }, writer, { [REASON]: 'incident review' }));
    const nodes = ok(await auditEvents({ filter: { resourceId: id } })).auditEvents.nodes;
    expect(nodes.map((n) => [n.action, n.reason])).toEqual([
      ['session.read_content', 'incident review'],
      ['session.create', 'ticket OPS-12: import'],
    ]);
  });

  it('is redacted of PII and secrets before it is stored', async () => {
    const id = await createSession('pii reason');
    ok(await graphql(stack.gatewayUrl, GET_SESSION, { id }, writer, { [REASON]: 'asked by jane.doe@example.com with token ghp_abcdefghijklmnopqrstuvwxyz0123456789' }));
    const [event] = ok(await auditEvents({ filter: { resourceId: id, action: 'session.read_content' } })).auditEvents.nodes;
    expect(event?.reason).toContain('asked by');
    expect(event?.reason).not.toContain('jane.doe@example.com');
    expect(event?.reason).not.toContain('ghp_abcdefghijklmnopqrstuvwxyz0123456789');
  });

  it('a bad header is refused with 400 BAD_USER_INPUT and writes nothing', async () => {
    const [before] = await stack.deps.database.db.select({ n: count() }).from(sessions);
    const input = { privacyLevel: 'TEAM', title: 'never written' };
    for (const bad of ['x'.repeat(201), 'tab\tinside', 'caf\u00e9']) {
      const res = await graphql(stack.gatewayUrl, CREATE_SESSION, { input }, writer, { [REASON]: bad });
      expect(res.status).toBe(400);
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    }
    const [after] = await stack.deps.database.db.select({ n: count() }).from(sessions);
    expect(after?.n).toBe(before?.n);
  });

  it("a GDPR deletion's own reason wins over the header", async () => {
    const id = await createSession('to forget');
    ok(await graphql(stack.gatewayUrl, DELETE_SESSION, { id, gdpr: true, reason: 'GDPR request #7' }, writer, { [REASON]: 'cleanup' }));
    const [event] = ok(await auditEvents({ filter: { resourceId: id, action: 'session.gdpr_delete' } })).auditEvents.nodes;
    expect(event?.reason).toBe('GDPR request #7');
  });
});

describe('access reasons from the SDK and the CLI', () => {
  const cache = () => join(mkdtempSync(join(tmpdir(), 'memctx-audit-')), 'cache.db');
  const reasonOf = async (id: string) => ok(await auditEvents({ filter: { resourceId: id, action: 'session.create' } })).auditEvents.nodes[0]?.reason;

  it('createClient({ accessReason }) sends it with every request, queued writes included', async () => {
    const client = createClient({ url: stack.gatewayUrl, token: writer, cachePath: cache(), accessReason: 'sdk: nightly import', pushOnWrite: false, pullIntervalMs: 0 });
    try {
      const created = await client.sessions.create({ title: 'from the sdk', privacyLevel: 'TEAM' });
      expect(await client.flush()).toMatchObject({ sent: 1, remaining: 0 });
      expect(await reasonOf(created.id)).toBe('sdk: nightly import');
    } finally {
      await client.close();
    }
    expect(() => createClient({ cachePath: cache(), accessReason: 'caf\u00e9' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
  });

  it('memctx --reason sends it', async () => {
    const bin = resolve(fileURLToPath(import.meta.url), '../../sdk/bin/memctx.js');
    const args = ['--url', stack.gatewayUrl, '--token', writer, '--cache', cache(), '--reason', 'cli: manual note', '--json', 'session', 'create', '--title', 'from the cli'];
    const { stdout } = await promisify(execFile)(process.execPath, [bin, ...args], { env: { ...process.env, MEMCTX_URL: '', MEMCTX_TOKEN: '' } });
    const id = (JSON.parse(stdout) as { session: { id: string } }).session.id;
    expect(await reasonOf(id)).toBe('cli: manual note');
  });
});

describe('auditEvents', () => {
  it('is admin-only: FORBIDDEN otherwise, and the refused attempt is audited', async () => {
    const res = await auditEvents({}, writer);
    expect(codes(res)).toEqual(['FORBIDDEN']);
    const denied = ok(await auditEvents({ filter: { action: 'audit.query', actor: 'audit-writer', outcome: 'DENIED' } })).auditEvents.nodes;
    expect(denied.length).toBeGreaterThanOrEqual(1);
  });

  it('audits the query itself', async () => {
    ok(await graphql<AuditPage>(stack.gatewayUrl, AUDIT_EVENTS, { filter: { resourceType: 'session' }, first: 1 }, admin, { [REASON]: 'quarterly access review' }));
    const nodes = ok(await auditEvents({ filter: { action: 'audit.query', actor: 'ops', outcome: 'SUCCESS' } })).auditEvents.nodes;
    const asked = nodes.find((n) => n.reason === 'quarterly access review');
    expect(asked).toMatchObject({ resourceType: 'audit', details: { filters: ['resourceType'], returned: 1 } });
  });

  it('filters by actor, submodule, resource, action, outcome and time', async () => {
    const id = await createSession('filtered');
    const base = { resourceId: id };
    const one = async (filter: Record<string, unknown>) => ok(await auditEvents({ filter: { ...base, ...filter } })).auditEvents.nodes.map((n) => n.action);
    expect(await one({ actor: 'audit-writer', submodule: 'audit-writer', resourceType: 'session', action: 'session.create', outcome: 'SUCCESS' })).toEqual(['session.create']);
    expect(await one({ actor: 'someone-else' })).toEqual([]);
    expect(await one({ submodule: 'someone-else' })).toEqual([]);
    expect(await one({ resourceType: 'pattern' })).toEqual([]);
    expect(await one({ outcome: 'DENIED' })).toEqual([]);
    expect(await one({ from: new Date(Date.now() + 3_600_000).toISOString() })).toEqual([]);
    expect(await one({ to: new Date(Date.now() - 3_600_000).toISOString() })).toEqual([]);
    expect(await one({ from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 3_600_000).toISOString() })).toEqual(['session.create']);
  });

  it('pages newest first with first/after until hasNextPage is false', async () => {
    for (let i = 0; i < 5; i++) await createSession(`paged ${i}`);
    const filter = { actor: 'audit-writer', action: 'session.create' };
    const all = ok(await auditEvents({ filter, first: 100 })).auditEvents.nodes.map((n) => Number(n.seq));
    expect(all.length).toBeGreaterThanOrEqual(5);
    expect([...all].sort((a, b) => b - a)).toEqual(all);

    const seen: number[] = [];
    let after: string | null = null;
    for (;;) {
      const page: AuditPage['auditEvents'] = ok(await auditEvents({ filter, first: 2, after })).auditEvents;
      expect(page.nodes.length).toBeLessThanOrEqual(2);
      seen.push(...page.nodes.map((n) => Number(n.seq)));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(all);
    expect(codes(await auditEvents({ after: 'not-a-cursor' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await auditEvents({ first: 1000 }))).toEqual(['BAD_USER_INPUT']);
  });

  it('never returns content', async () => {
    const id = await createSession('contentful');
    ok(await graphql(stack.gatewayUrl, GET_SESSION, { id }, writer));
    const res = await auditEvents({ first: 100 });
    expect(ok(res).auditEvents.nodes.some((n) => n.resourceId === id)).toBe(true);
    expect(JSON.stringify(res)).not.toContain(CONTENT_MARKER);
  });
});
