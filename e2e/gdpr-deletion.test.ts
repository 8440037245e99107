import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, sessionArchive } from '@memory-context/db';
import { codes, CREATE_SESSION, DELETE_SESSION, GET_SESSION, graphql, LIST_SESSIONS, ok, SESSION_CHANGES, startTestStack, type TestStack } from './src/index.js';

const MARKER = 'GdprMarker7Q2';
let stack: TestStack;
let owner: string;
let reader: string;

function rows<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []);
}

/** Every user table of the database whose rows mention the marker anywhere. */
async function tablesHolding(marker: string): Promise<string[]> {
  const { db } = stack.deps.database;
  const tables = rows<{ schema: string; name: string }>(
    await db.execute(sql`select table_schema as schema, table_name as name from information_schema.tables
      where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`),
  );
  const holding: string[] = [];
  for (const { schema, name } of tables) {
    const found = rows<{ n: number }>(
      await db.execute(sql`select count(*)::int as n from ${sql.identifier(schema)}.${sql.identifier(name)} t where t::text ilike ${`%${marker}%`}`),
    );
    if ((found[0]?.n ?? 0) > 0) holding.push(`${schema}.${name}`);
  }
  return holding;
}

beforeAll(async () => {
  stack = await startTestStack({ gdprRetentionSeconds: 1 });
  owner = await stack.token('gdpr-owner');
  reader = await stack.token('gdpr-reader');
});
afterAll(async () => stack?.stop());

describe('GDPR deletion of a session', () => {
  let id: string;
  let cursor: string;

  beforeAll(async () => {
    cursor = ok(await graphql(stack.gatewayUrl, SESSION_CHANGES, { limit: 500 }, reader)).sessionChanges.cursor;
    const input = {
      privacyLevel: 'TEAM',
      title: `Notes ${MARKER}`,
      description: `About ${MARKER}`,
      tags: [MARKER.toLowerCase()],
      content: [{ role: 'user', text: `The customer ${MARKER} asked to be forgotten` }],
      idempotencyKey: 'gdpr-create-0001',
    };
    id = ok(await graphql(stack.gatewayUrl, CREATE_SESSION, { input }, owner)).createSession.id;
    ok(await graphql(stack.gatewayUrl, GET_SESSION, { id }, reader)); // a read that is audited
    await stack.search.indexer.catchUp();
    const holding = await tablesHolding(MARKER);
    expect(holding).toContain('sessions.sessions');
    expect(holding).toContain('search.documents');
    expect(holding.filter((t) => t !== 'sessions.sessions').every((t) => t.startsWith('search.'))).toBe(true);
  });

  it('removes it from reads and lists at once and sends a tombstone down the feed', async () => {
    const deleted = ok(await graphql(stack.gatewayUrl, DELETE_SESSION, { id, gdpr: true, reason: 'Art. 17 request #42' }, owner)).deleteSession;
    expect(deleted).toMatchObject({ id, deleted: true });
    expect(codes(await graphql(stack.gatewayUrl, GET_SESSION, { id }, owner))).toEqual(['NOT_FOUND']);
    const list = ok(await graphql(stack.gatewayUrl, LIST_SESSIONS, { first: 100 }, owner));
    expect(list.sessions.nodes.map((n: { id: string }) => n.id)).not.toContain(id);
    const feed = ok(await graphql(stack.gatewayUrl, SESSION_CHANGES, { after: cursor, limit: 100 }, reader)).sessionChanges;
    const mine = feed.changes.filter((c: { id: string }) => c.id === id);
    expect(mine.at(-1)).toMatchObject({ op: 'DELETE', entity: null });
    expect(mine.every((c: { op: string }) => c.op === 'DELETE')).toBe(true);
    // Deleting again finds nothing.
    expect(codes(await graphql(stack.gatewayUrl, DELETE_SESSION, { id, gdpr: true, reason: 'again' }, owner))).toEqual(['NOT_FOUND']);
  });

  it('keeps the content only in the archive until the retention window ends (the search index lets go with the tombstone)', async () => {
    await stack.search.indexer.catchUp();
    expect(await tablesHolding(MARKER)).toEqual(['sessions.archive']);
  });

  it('purges it for good after the retention window: no table holds its content', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const { purged } = await stack.sessions.runMaintenance();
    expect(purged).toContain(id);
    expect(await tablesHolding(MARKER)).toEqual([]);
    expect(await stack.deps.database.db.select().from(sessionArchive).where(eq(sessionArchive.entityId, id))).toEqual([]);
  });

  it('keeps metadata of every access in the audit trail', async () => {
    await stack.deps.audit.flush();
    const events = await stack.deps.database.db.select().from(auditEvents).where(eq(auditEvents.resourceId, id));
    const actions = events.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['session.create', 'session.read_content', 'session.gdpr_delete']));
    const gdpr = events.find((e) => e.action === 'session.gdpr_delete');
    expect(gdpr).toMatchObject({ actor: 'gdpr-owner', reason: 'Art. 17 request #42', outcome: 'SUCCESS' });
    const denied = await stack.deps.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.resourceId, id), eq(auditEvents.outcome, 'DENIED')));
    expect(denied.length).toBeGreaterThanOrEqual(1);
  });

  it('replays the delete by idempotency key without error', async () => {
    const created = ok(await graphql(stack.gatewayUrl, CREATE_SESSION, { input: { privacyLevel: 'TEAM', title: 'to delete' } }, owner)).createSession;
    const vars = { id: created.id, key: 'delete-key-00001' };
    const first = ok(await graphql(stack.gatewayUrl, DELETE_SESSION, vars, owner)).deleteSession;
    const again = ok(await graphql(stack.gatewayUrl, DELETE_SESSION, vars, owner)).deleteSession;
    expect(again).toEqual(first);
  });
});
