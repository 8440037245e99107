import { sql } from 'drizzle-orm';
import { pgTable, text } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { canRead, type Actor } from '@memory-context/access';
import { createTestDatabase, type TestDatabase } from '../testing.js';
import { rawRows } from './raw-rows.js';
import { readableBy } from './access.js';

/** Every owner × level, in a table of their own: the SQL rule must keep exactly the rows canRead keeps. */
const owned = pgTable('access_rule_rows', { id: text('id').primaryKey(), submoduleId: text('submodule_id').notNull(), privacyLevel: text('privacy_level') });
const ROWS = ['alice', 'bob', 'carol'].flatMap((submoduleId) => ['PUBLIC', 'TEAM', 'PRIVATE'].map((privacyLevel) => ({ id: `${submoduleId}:${privacyLevel}`, submoduleId, privacyLevel })));
const ACTORS: Actor[] = [
  { submoduleId: 'alice', admin: false },
  { submoduleId: 'dave', admin: false },
  { submoduleId: 'ops', admin: true },
];

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
  await test.database.db.execute(sql`create table access_rule_rows (id text primary key, submodule_id text not null, privacy_level text)`);
  await test.database.db.insert(owned).values([...ROWS, { id: 'bob:none', submoduleId: 'bob', privacyLevel: null }]);
});
afterAll(async () => test?.close());

const expected = (actor: Actor) => ROWS.filter((r) => canRead(actor, { submoduleId: r.submoduleId, privacyLevel: r.privacyLevel })).map((r) => r.id).sort();

describe('readableBy, the SQL form of the access rule', () => {
  for (const actor of ACTORS) {
    it(`keeps in the query exactly the rows canRead keeps (${actor.admin ? 'admin' : actor.submoduleId})`, async () => {
      const rows = await test.database.db.select({ id: owned.id }).from(owned).where(readableBy(actor, owned));
      const got = rows.map((r) => r.id).filter((id) => id !== 'bob:none').sort();
      expect(got).toEqual(expected(actor));
    });

    it(`reads the same over raw column names, as the vector stores write them (${actor.admin ? 'admin' : actor.submoduleId})`, async () => {
      const where = readableBy(actor, { privacyLevel: sql`privacy_level`, submoduleId: sql`submodule_id` });
      const rows = await rawRows<{ id: string }>(test.database.db, sql`select id from access_rule_rows where ${where} and privacy_level is not null`);
      expect(rows.map((r) => r.id).sort()).toEqual(expected(actor));
    });
  }

  it('never keeps a row of another submodule without a level (a feed entry with no previous level)', async () => {
    const rows = await test.database.db.select({ id: owned.id }).from(owned).where(sql`${readableBy(ACTORS[0]!, owned)} is true and ${owned.privacyLevel} is null`);
    expect(rows).toEqual([]);
  });
});
