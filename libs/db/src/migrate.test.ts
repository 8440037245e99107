import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { auditEvents } from './schema/index.js';
import { migrateDatabase } from './migrate.js';
import { createTestDatabase, type TestDatabase } from './testing.js';

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(async () => test?.close());

describe('migrations', () => {
  it('create the schemas and can run again without change', async () => {
    await migrateDatabase(test.database);
    const rows = await test.database.db.execute<{ schema_name: string }>(
      sql`select schema_name from information_schema.schemata where schema_name in ('registry', 'sessions', 'audit') order by 1`,
    );
    expect(toRows<{ schema_name: string }>(rows).map((r) => r.schema_name)).toEqual(['audit', 'registry', 'sessions']);
  });

  it('make the audit trail append-only in the database', async () => {
    const { db } = test.database;
    await db.insert(auditEvents).values({ actor: 'a', action: 'test', resourceType: 'session', outcome: 'SUCCESS' });
    for (const statement of [sql`update audit.events set actor = 'b'`, sql`delete from audit.events`, sql`truncate audit.events`]) {
      const error = await db.execute(statement).then(() => undefined, (e: unknown) => e);
      expect(rootMessage(error)).toMatch(/append-only/);
    }
    const count = toRows<{ n: number }>(await db.execute<{ n: number }>(sql`select count(*)::int as n from audit.events`));
    expect(count[0]?.n).toBe(1);
  });

  it('refuse privacy levels the central store never holds', async () => {
    const { db } = test.database;
    await expect(
      db.execute(sql`insert into sessions.sessions (id, submodule_id, privacy_level, title) values (gen_random_uuid(), 'a', 'EPHEMERAL', 't')`),
    ).rejects.toThrow();
  });
});

/** postgres.js returns an array, PGlite an object with rows. */
export function toRows<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []);
}

function rootMessage(error: unknown): string {
  let current = error as { message?: string; cause?: unknown } | undefined;
  while (current?.cause) current = current.cause as typeof current;
  return current?.message ?? '';
}
