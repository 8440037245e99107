import { existsSync, mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { listenErrorMessage, loadConfig } from '@memory-context/config';
import { LOCK_FILE } from './data-dir-errors.js';
import { startStack } from './stack.js';

it('a start that fails (a busy port) gives the data directory up, so the next start opens it', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'memctx-stack-'));
  const busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  const port = (busy.address() as AddressInfo).port;
  const env = { MEMCTX_DATA_DIR: dataDir, MEMCTX_JWT_SECRET: 'stack-secret-0123456789-abcdefghijklmnopqrstuvwxyz', MEMCTX_LOG_LEVEL: 'silent' };
  try {
    const config = loadConfig({ ...env, MEMCTX_GATEWAY_PORT: String(port), MEMCTX_SESSIONS_PORT: String(port) });
    await expect(startStack({ config })).rejects.toThrow(/EADDRINUSE/);
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
  } finally {
    busy.close();
  }
  const stack = await startStack({ config: loadConfig(env), ephemeralPorts: true });
  expect(existsSync(join(dataDir, LOCK_FILE))).toBe(true);
  await stack.stop();
  expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
});

describe('the threads layout (the gateway and PGlite each in a worker thread)', () => {
  const env = { MEMCTX_JWT_SECRET: 'stack-secret-0123456789-abcdefghijklmnopqrstuvwxyz', MEMCTX_LOG_LEVEL: 'silent' };

  /** A stack in `layout` on a fresh data directory, and a GraphQL call through its gateway with a token of `layout`. */
  async function stackIn(layout: 'threads' | 'gateway-thread') {
    const dataDir = mkdtempSync(join(tmpdir(), 'memctx-stack-'));
    const stack = await startStack({ config: loadConfig({ ...env, MEMCTX_DATA_DIR: dataDir }), ephemeralPorts: true, layout });
    const token = await stack.token(layout);
    const ask = (query: string, variables: Record<string, unknown> = {}) =>
      fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) }).then(
        (r) => r.json() as Promise<{ data?: any; errors?: unknown[] }>,
      );
    return { dataDir, stack, ask };
  }

  it('serves writes and reads through the gateway thread, and stops and starts it on the same port', async () => {
    const { dataDir, stack, ask } = await stackIn('threads');
    try {
      expect(stack.layout).toBe('threads');
      const created = await ask('mutation($input: CreateSessionInput!) { createSession(input: $input) { id title } }', {
        input: { title: 'through the thread', privacyLevel: 'TEAM', content: [{ role: 'user', text: 'hello' }] },
      });
      expect(created.errors).toBeUndefined();
      const id = created.data.createSession.id as string;
      // Read straight from the main thread's store: the write went through the gateway thread to this thread's PGlite.
      const stored = await stack.sessions.store.get({ submoduleId: 'threads', admin: false }, id);
      expect(stored?.title).toBe('through the thread');
      // Through PGlite's thread: a second create with the same id is a CONFLICT (a stable code) ...
      const again = await ask('mutation($input: CreateSessionInput!) { createSession(input: $input) { id } }', {
        input: { id, title: 'same id', privacyLevel: 'TEAM', content: [{ role: 'user', text: 'hello' }] },
      });
      expect((again.errors as Array<{ extensions: { code: string } }>)[0]?.extensions.code).toBe('CONFLICT');
      // ... and the indexer, woken by NOTIFY from that thread, makes the session searchable.
      let hits: Array<{ id: string }> = [];
      for (let i = 0; i < 100 && hits.length === 0; i += 1) {
        const found = await ask('query($q: String!) { search(query: $q, mode: LEXICAL) { hits { entity { ... on Session { id } } } } }', { q: 'through the thread' });
        hits = ((found.data?.search?.hits ?? []) as Array<{ entity: { id: string } }>).map((h) => h.entity);
        if (hits.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(hits).toEqual([{ id }]);

      await stack.stopGateway();
      await expect(fetch(stack.gatewayUrl, { method: 'POST' })).rejects.toThrow();
      await stack.startGateway();
      const read = await ask('query($id: ID!) { session(id: $id) { id title submodule { id } } }', { id });
      expect(read.data.session).toEqual({ id, title: 'through the thread', submodule: { id: 'threads' } });
    } finally {
      await stack.stop();
    }
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
    // What PGlite's thread wrote is on disk: the data directory opens on one thread with it.
    const reopened = await startStack({ config: loadConfig({ ...env, MEMCTX_DATA_DIR: dataDir }), ephemeralPorts: true, layout: 'single' });
    try {
      const { nodes } = await reopened.sessions.store.list({ submoduleId: 'threads', admin: false }, {}, 10, null, { withContent: false });
      expect(nodes.map((session) => session.title)).toEqual(['through the thread']);
    } finally {
      await reopened.stop();
    }
  });

  it('gateway-thread runs the gateway alone in a worker thread, PGlite on the main thread', async () => {
    const { stack, ask } = await stackIn('gateway-thread');
    try {
      expect(stack.layout).toBe('gateway-thread');
      const created = await ask('mutation { createSession(input: { title: "one thread for PGlite", privacyLevel: TEAM }) { id } }');
      const stored = await stack.sessions.store.get({ submoduleId: 'gateway-thread', admin: false }, created.data.createSession.id);
      expect(stored?.title).toBe('one thread for PGlite');
    } finally {
      await stack.stop();
    }
  });

  it('a busy gateway port fails the start with the listen error (code and port kept) and gives the data directory up', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'memctx-stack-'));
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as AddressInfo).port;
    try {
      const [sessions, patterns, checkpoints, search] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
      const config = loadConfig({
        ...env,
        MEMCTX_DATA_DIR: dataDir,
        MEMCTX_GATEWAY_PORT: String(port),
        MEMCTX_SESSIONS_PORT: String(sessions),
        MEMCTX_PATTERNS_PORT: String(patterns),
        MEMCTX_CHECKPOINTS_PORT: String(checkpoints),
        MEMCTX_SEARCH_PORT: String(search),
      });
      const failed = await startStack({ config, layout: 'threads' }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failed).toMatchObject({ code: 'EADDRINUSE', port });
      expect(listenErrorMessage(failed, config)).toContain('MEMCTX_GATEWAY_PORT=<port> npm start');
      expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
    } finally {
      busy.close();
    }
  });
});

/** A port the OS just handed out and took back: free unless someone grabs it meanwhile. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
