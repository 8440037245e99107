import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { fakeGateway, fakeToken } from '../../test-fixtures/fake-gateway.js';
import { EXPECTED, MALFORMED, PLANTED, writeSeedFolder } from '../../test-fixtures/memory-context-folder.js';
import { createClient } from '../client.js';
import { importMemoryContext } from './runner.js';

/** A token the SDK reads its submodule from (the gateway would verify it; there is none here). */
const token = (sub: string) => `x.${Buffer.from(JSON.stringify({ sub })).toString('base64url')}.y`;

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'import-runner-'));
  const folder = join(dir, 'MEMORY-CONTEXT');
  writeSeedFolder(folder, { exportBytes: 5_000 });
  return { folder, clientOptions: { token: token('local-team'), cachePath: join(dir, 'cache', 'memory-cache.db') } };
}

describe('importMemoryContext without a gateway', () => {
  it('queues every item in the cache, redacted with the folder rules, and a rerun skips them all', async () => {
    const { folder, clientOptions } = setup();
    const progress: string[] = [];
    const first = await importMemoryContext(folder, { clientOptions, onProgress: (p) => progress.push(`${p.done}/${p.total} ${p.outcome}`) });
    const total = EXPECTED.sessions.length + EXPECTED.patterns.length + EXPECTED.checkpoints.length;
    expect(progress).toHaveLength(total);
    expect(first.counts.session).toEqual({ imported: EXPECTED.sessions.length, skipped: 0, failed: 5 });
    expect(first.failures).toHaveLength(MALFORMED.length);
    expect(first.flush).toMatchObject({ sent: 0, remaining: total, online: false });

    const client = createClient({ ...clientOptions, pullIntervalMs: 0, pushOnWrite: false });
    try {
      const cached = await client.sessions.list(null, { fetchPolicy: 'cache-only', first: 100 });
      expect(cached.nodes.map((s) => s.title).sort()).toEqual([...EXPECTED.sessions].sort());
      const keys = cached.nodes.find((s) => s.title === 'Rotate the quartz keys')!;
      const text = keys.content.map((m) => m.text).join('\n');
      expect(text).not.toContain(PLANTED.email);
      expect(text).toContain('[REDACTED:email]');
    } finally {
      await client.close();
    }

    const second = await importMemoryContext(folder, { clientOptions });
    expect(second.counts).toEqual({
      session: { imported: 0, skipped: EXPECTED.sessions.length, failed: 5 },
      pattern: { imported: 0, skipped: 1, failed: 1 },
      checkpoint: { imported: 0, skipped: EXPECTED.checkpoints.length, failed: 1 },
    });
    expect(second.flush?.remaining).toBe(total);
  });

  it('writes nothing with dryRun', async () => {
    const { folder, clientOptions } = setup();
    const report = await importMemoryContext(folder, { clientOptions, dryRun: true });
    expect(report.counts.session.imported).toBe(EXPECTED.sessions.length);
    const client = createClient({ ...clientOptions, pullIntervalMs: 0, pushOnWrite: false });
    try {
      expect(client.status().pending).toBe(0);
    } finally {
      await client.close();
    }
  });

  it('stops with BAD_USER_INPUT for an unusable privacy.config.json, and for a missing folder', async () => {
    const { folder, clientOptions } = setup();
    writeFileSync(join(folder, 'privacy.config.json'), JSON.stringify({ levels: { TEAM: { contact: 'shred' } } }));
    await expect(importMemoryContext(folder, { clientOptions })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringContaining('privacy.config.json') });
    await expect(importMemoryContext(join(folder, 'nope'), { clientOptions })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});

describe('importMemoryContext against a gateway', () => {
  it('asks the server whether items are present once per kind and chunk, never item by item', async () => {
    const { folder, clientOptions } = setup();
    const gateway = fakeGateway();
    const online = { ...clientOptions, url: 'http://gateway.test/graphql', token: fakeToken('local-team') };
    const client = createClient({ ...online, pullIntervalMs: 0, pushOnWrite: false }, { fetch: gateway.fetch });
    try {
      const first = await importMemoryContext(folder, { client });
      expect(first.counts.session).toEqual({ imported: EXPECTED.sessions.length, skipped: 0, failed: 5 });
      const reads = gateway.calls.filter((c) => c.startsWith('Get'));
      expect(reads.sort()).toEqual(['GetCheckpoints', 'GetPatterns', 'GetSessions']);
      expect(gateway.sessions.size).toBe(EXPECTED.sessions.length);
    } finally {
      await client.close();
    }

    // Another machine (a fresh cache) imports the same folder: the server's copies count as present.
    const elsewhere = createClient(
      { ...online, cachePath: join(mkdtempSync(join(tmpdir(), 'import-elsewhere-')), 'cache.db'), pullIntervalMs: 0, pushOnWrite: false },
      { fetch: gateway.fetch },
    );
    gateway.calls.length = 0;
    try {
      const second = await importMemoryContext(folder, { client: elsewhere });
      expect(second.counts.session).toEqual({ imported: 0, skipped: EXPECTED.sessions.length, failed: 5 });
      expect(gateway.calls.filter((c) => c.startsWith('Get')).sort()).toEqual(['GetCheckpoints', 'GetPatterns', 'GetSessions']);
    } finally {
      await elsewhere.close();
    }
  });

  it('asks item by item when a chunk\'s lookup fails, so a failure is one item\'s alone', async () => {
    const { folder, clientOptions } = setup();
    const gateway = fakeGateway();
    const client = createClient(
      { ...clientOptions, url: 'http://gateway.test/graphql', token: fakeToken('local-team'), pullIntervalMs: 0, pushOnWrite: false },
      { fetch: gateway.fetch },
    );
    // The chunk's lookup is refused (as by a gateway with a lower ids limit), then the first session's own lookup too;
    // the rest answer. (An outage is not a refusal: then the cache answers and the items are queued.)
    gateway.failNext('GetSessions', { type: 'code', code: 'BAD_USER_INPUT' }, { type: 'code', code: 'BAD_USER_INPUT' });
    try {
      const report = await importMemoryContext(folder, { client });
      expect(report.counts.session).toEqual({ imported: EXPECTED.sessions.length - 1, skipped: 0, failed: 6 });
      expect(report.failures.filter((f) => f.code === 'WRITE_FAILED')).toEqual([expect.objectContaining({ kind: 'session', reason: expect.stringContaining('BAD_USER_INPUT') })]);
      expect(gateway.calls.filter((c) => c === 'GetSessions')).toHaveLength(1 + EXPECTED.sessions.length);
    } finally {
      await client.close();
    }
  });

  it('goes on reading and queueing items while a flush is with the server', async () => {
    const { folder, clientOptions } = setup();
    // More than one chunk of items (100), so that a flush starts while items remain.
    for (let i = 0; i < 150; i += 1) writeFileSync(join(folder, 'sessions', `extra-${i}.json`), JSON.stringify({ title: `Extra ${i}`, messages: [{ role: 'user', text: `extra ${i}` }] }));
    const gateway = fakeGateway();
    let done = 0;
    let releasePush!: () => void;
    const pushHeld = new Promise<void>((resolve) => (releasePush = resolve));
    const doneWhilePushHeld: number[] = [];
    // The first push is answered only once the import wrote another item (or after 2 s, which fails below).
    let pushes = 0;
    const fetch: typeof gateway.fetch = async (input, init) => {
      const body = JSON.parse(String(init?.body ?? '{}')) as { query?: string };
      if (body.query?.includes('mutation PushWrites') && pushes++ === 0) {
        const at = done;
        const deadline = Date.now() + 2_000;
        while (done < at + 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
        doneWhilePushHeld.push(done - at);
        releasePush();
      }
      return gateway.fetch(input, init);
    };
    const client = createClient({ ...clientOptions, url: 'http://gateway.test/graphql', token: fakeToken('local-team'), pullIntervalMs: 0, pushOnWrite: false }, { fetch });
    try {
      const report = await importMemoryContext(folder, { client, flushEvery: 50, onProgress: (p) => (done = p.done) });
      expect(pushes).toBeGreaterThan(0);
      await pushHeld;
      expect(doneWhilePushHeld[0]).toBeGreaterThanOrEqual(1);
      expect(report.counts.session).toEqual({ imported: EXPECTED.sessions.length + 150, skipped: 0, failed: 5 });
      expect(gateway.sessions.size).toBe(EXPECTED.sessions.length + 150);
    } finally {
      await client.close();
    }
  });
});
