import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@memory-context/db/testing';
import { SubmoduleStore } from './submodule-store.js';

let testDatabase: TestDatabase;
let store: SubmoduleStore;

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  store = new SubmoduleStore(testDatabase.database.db);
});
afterAll(async () => testDatabase?.close());

describe('SubmoduleStore', () => {
  it('registers a submodule and lists the registry by id', async () => {
    const db = testDatabase.database.db;
    await store.register(db, { id: 'web-frontend', name: 'Web', gitUrl: 'git@example.com:web.git' });
    await store.register(db, { id: 'cloud-backend', name: 'Cloud', syncStatus: 'PAUSED' });
    const ids = (await store.list()).map((s) => s.id);
    expect(ids.indexOf('cloud-backend')).toBeLessThan(ids.indexOf('web-frontend'));
    expect(await store.get('web-frontend')).toMatchObject({ name: 'Web', gitUrl: 'git@example.com:web.git', syncStatus: 'ACTIVE' });
  });

  it('updates on a second registration and keeps the sync status it was not given', async () => {
    const db = testDatabase.database.db;
    const row = await store.register(db, { id: 'cloud-backend', name: 'Cloud backend' });
    expect(row).toMatchObject({ id: 'cloud-backend', name: 'Cloud backend', gitUrl: null, syncStatus: 'PAUSED' });
  });

  it('reads a batch, leaving out unknown ids, and refuses an unknown id with NOT_FOUND', async () => {
    const found = await store.getMany(['web-frontend', 'nobody']);
    expect([...found.keys()]).toEqual(['web-frontend']);
    await expect(store.get('nobody')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
