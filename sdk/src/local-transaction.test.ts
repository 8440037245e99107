import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { PrivacyLevel } from './generated/graphql.js';
import { createClient, inOneLocalTransaction, type MemoryClient } from './client.js';

let client: MemoryClient;
const token = `x.${Buffer.from(JSON.stringify({ sub: 'grouped' })).toString('base64url')}.y`;

function open(): MemoryClient {
  client = createClient({ token, cachePath: join(mkdtempSync(join(tmpdir(), 'memctx-grouped-')), 'cache.db'), pushOnWrite: false, pullIntervalMs: 0 });
  return client;
}

afterEach(async () => client?.close());

describe('inOneLocalTransaction (the import groups a chunk of local writes)', () => {
  it('keeps the writes started in it, each queued as its own write; a refused one fails alone', async () => {
    const c = open();
    const started = inOneLocalTransaction(c, () => [
      c.sessions.create({ title: 'first', privacyLevel: 'TEAM' }),
      c.sessions.create({ title: 'refused', privacyLevel: 'SECRET' as PrivacyLevel }),
      c.sessions.create({ title: 'third', privacyLevel: 'TEAM' }),
    ]);
    const settled = await Promise.allSettled(started);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(c.status().pending).toBe(2);
    const titles = (await c.sessions.list(null, { fetchPolicy: 'cache-only' })).nodes.map((s) => s.title).sort();
    expect(titles).toEqual(['first', 'third']);
  });

  it("does the writes' local part inside it: a throw after them rolls every one back", async () => {
    const c = open();
    expect(() =>
      inOneLocalTransaction(c, () => {
        void c.sessions.create({ title: 'rolled back', privacyLevel: 'TEAM' });
        throw new Error('the commit fails');
      }),
    ).toThrow('the commit fails');
    expect(c.status().pending).toBe(0);
    expect((await c.sessions.list(null, { fetchPolicy: 'cache-only' })).nodes).toEqual([]);
  });
});
