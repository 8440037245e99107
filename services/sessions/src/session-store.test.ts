import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@memory-context/db/testing';
import { createRedactor } from '@memory-context/privacy';
import { SessionStore } from './session-store.js';
import { contentView } from './session-view.js';

const actor = { submoduleId: 'cloud-backend', admin: false };
let testDatabase: TestDatabase;
let store: SessionStore;

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  store = new SessionStore(testDatabase.database.db, createRedactor(), { maxContentBytes: 1_000_000, retentionSeconds: 60 });
  await testDatabase.database.db.transaction((tx) =>
    store.create(tx, actor, { privacyLevel: 'TEAM', title: 'Login flow', content: [{ role: 'user', text: 'hello' }] }),
  );
});
afterAll(async () => testDatabase?.close());

describe('SessionStore.list', () => {
  it('leaves the content column out unless asked for it', async () => {
    const { nodes } = await store.list(actor, {}, 10, null, { withContent: false });
    expect(nodes).toHaveLength(1);
    expect(nodes[0]).toMatchObject({ title: 'Login flow', submoduleId: 'cloud-backend', contentBytes: expect.any(Number) });
    expect(nodes[0]).not.toHaveProperty('content');
  });

  it('reads the content when asked for it', async () => {
    const { nodes } = await store.list(actor, {}, 10, null, { withContent: true });
    expect(nodes[0]?.content).toEqual([{ role: 'user', text: 'hello' }]);
  });
});

describe('SessionStore.getMany', () => {
  it('reads content for entity references only when asked for it', async () => {
    const { nodes } = await store.list(actor, {}, 10, null, { withContent: false });
    const id = nodes[0]!.id;
    expect((await store.getMany(actor, [id])).get(id)?.content).toEqual([{ role: 'user', text: 'hello' }]);
    const light = (await store.getMany(actor, [id], { withContent: false })).get(id);
    expect(light).toMatchObject({ id, title: 'Login flow' });
    expect(light).not.toHaveProperty('content');
  });
});

describe('contentView', () => {
  it('refuses a row read without its content rather than answering an empty conversation', async () => {
    const { nodes } = await store.list(actor, {}, 10, null, { withContent: false });
    expect(() => contentView(nodes[0]!)).toThrow(/without its content/);
  });
});
