import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient, type MemoryClient } from '@memory-context/sdk';
import { UPDATE_SESSION, graphql, ok, startTestStack, type TestStack } from './src/index.js';

const REPO = resolve(fileURLToPath(import.meta.url), '../..');
const AGENT = join(REPO, 'e2e/sdk-submodules-agent.ts');
// Absolute, since the agents run in temporary checkouts outside the repository.
const TSX = pathToFileURL(join(REPO, 'node_modules/tsx/dist/loader.mjs')).href;

let stack: TestStack;
let a: MemoryClient;
let b: MemoryClient;

beforeAll(async () => {
  stack = await startTestStack();
  const open = async (submodule: string) =>
    createClient({
      url: stack.gatewayUrl,
      token: await stack.token(submodule),
      cachePath: join(mkdtempSync(join(tmpdir(), `memctx-sdk-${submodule}-`)), 'cache.db'),
      pushOnWrite: false,
      pullIntervalMs: 0,
    });
  a = await open('submodule-a');
  b = await open('submodule-b');
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await stack?.stop();
});

it("brings A's shared session into B's cache, never A's PRIVATE one, and removes it after A's GDPR deletion", async () => {
  const shared = await a.sessions.create({ title: 'Zephyr migration notes', privacyLevel: 'TEAM', content: [{ role: 'assistant', text: 'Use the zephyr flag' }] });
  const secret = await a.sessions.create({ title: 'Zephyr private notes', privacyLevel: 'PRIVATE' });
  const scratch = await a.sessions.create({ title: 'Zephyr scratch', privacyLevel: 'EPHEMERAL' });
  expect(await a.flush()).toMatchObject({ sent: 2, remaining: 0 });

  const pulled = await b.sync();
  expect(pulled.pulled.received.session).toBeGreaterThanOrEqual(1);
  expect((await b.sessions.get(shared.id, { fetchPolicy: 'cache-only' })).data).toMatchObject({ title: 'Zephyr migration notes', submoduleId: 'submodule-a', version: 1 });
  expect((await b.sessions.get(secret.id, { fetchPolicy: 'cache-only' })).data).toBeNull();
  expect((await b.sessions.get(scratch.id, { fetchPolicy: 'cache-only' })).data).toBeNull();
  expect((await b.search('zephyr', { fetchPolicy: 'cache-only' })).hits.map((h) => h.id)).toEqual([shared.id]);
  // Online, the gateway's search applies the same access rules.
  await stack.search.indexer.catchUp();
  const online = await b.search('zephyr');
  expect(online.source).toBe('network');
  expect(online.hits.map((h) => h.id)).toContain(shared.id);
  expect(online.hits.map((h) => h.id)).not.toContain(secret.id);
  // A keeps its own PRIVATE and EPHEMERAL sessions.
  expect((await a.sessions.get(secret.id, { fetchPolicy: 'cache-only' })).syncState).toBe('synced');
  expect((await a.sessions.get(scratch.id)).syncState).toBe('local');

  await a.sessions.delete(shared.id, { gdprRequest: true, reason: 'Art. 17 request (SDK e2e)' });
  expect(await a.flush()).toMatchObject({ sent: 1, remaining: 0 });
  // Still cached in B until its next pull.
  expect((await b.sessions.get(shared.id, { fetchPolicy: 'cache-only' })).data).not.toBeNull();
  const after = await b.sync();
  expect(after.pulled.deleted).toBeGreaterThanOrEqual(1);
  expect((await b.sessions.get(shared.id, { fetchPolicy: 'cache-only' })).data).toBeNull();
  expect((await b.search('zephyr', { fetchPolicy: 'cache-only' })).hits).toEqual([]);
  expect((await b.sessions.get(shared.id)).data).toBeNull();
});

describe("the seed's layout: two submodules whose .coditect is a symlink to one framework folder", () => {
  interface Report {
    cachePath: string;
    submoduleId: string;
    team?: string;
    private?: string;
    sync?: { online: boolean; code: string | null; pushed: { sent: number; remaining: number } };
    flush?: { online: boolean; code: string | null; conflicts: number; remaining: number };
    cached: Array<{ id: string; submoduleId: string; privacyLevel: string; title: string }>;
    status: { pending: number; conflicts: number; online: boolean | null };
    conflicts: string[];
    pending: string[];
  }
  const run = promisify(execFile);
  let framework: string;
  const checkout: Record<'a' | 'b', string> = { a: '', b: '' };
  const token: Record<'a' | 'b', string> = { a: '', b: '' };
  const wrote: Partial<Record<'a' | 'b', Report>> = {};

  /** One agent run in a submodule's checkout, with nothing but MEMCTX_TOKEN set: default options everywhere else. */
  async function agent(who: 'a' | 'b', ...args: string[]): Promise<Report> {
    const env = { ...process.env, MEMCTX_TOKEN: token[who], MEMCTX_URL: '', MEMCTX_CACHE_PATH: '', MEMCTX_CACHE_CONFIG: '' };
    const { stdout } = await run(process.execPath, ['--import', TSX, AGENT, ...args], { cwd: checkout[who], env });
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as Report;
  }

  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'memctx-seed-layout-'));
    framework = join(root, 'coditect-project-dot-claude');
    mkdirSync(join(framework, 'MEMORY-CONTEXT'), { recursive: true });
    // The shared cache.config.json gives every submodule the gateway; no background pull, explicit pushes.
    writeFileSync(
      join(framework, 'MEMORY-CONTEXT', 'cache.config.json'),
      JSON.stringify({ version: '1.0', cache_policy: { sync_interval_minutes: 0, auto_sync_on_write: false }, sync: { api_url: stack.gatewayUrl } }),
    );
    for (const who of ['a', 'b'] as const) {
      checkout[who] = join(root, 'submodules', `cloud-${who}`);
      mkdirSync(checkout[who], { recursive: true });
      symlinkSync(framework, join(checkout[who], '.coditect'), 'dir');
      token[who] = await stack.token(`seed-layout-${who}`);
    }
  });

  it('both write with default options at the same time, each into its own cache file in the shared folder', async () => {
    const [a, b] = await Promise.all([agent('a', 'write'), agent('b', 'write')]);
    Object.assign(wrote, { a, b });
    for (const [who, report] of Object.entries({ a, b })) {
      expect(report.submoduleId).toBe(`seed-layout-${who}`);
      expect(report.sync).toMatchObject({ online: true, code: null, pushed: { sent: 2, remaining: 0 } });
      expect(realpathSync(dirname(dirname(report.cachePath)))).toBe(realpathSync(join(framework, 'MEMORY-CONTEXT', 'cache')));
    }
    expect(a.cachePath).not.toBe(b.cachePath);
    expect(realpathSync(a.cachePath)).not.toBe(realpathSync(b.cachePath));
  });

  it("each pulls the other's TEAM session, never its PRIVATE one", async () => {
    const [a, b] = await Promise.all([agent('a', 'read'), agent('b', 'read')]);
    const ids = (r: Report) => r.cached.map((s) => s.id);
    expect(ids(a)).toEqual(expect.arrayContaining([wrote.a!.team, wrote.a!.private, wrote.b!.team]));
    expect(ids(a)).not.toContain(wrote.b!.private);
    expect(ids(b)).toEqual(expect.arrayContaining([wrote.b!.team, wrote.b!.private, wrote.a!.team]));
    expect(ids(b)).not.toContain(wrote.a!.private);
    expect(a.cached.filter((s) => s.privacyLevel === 'PRIVATE').every((s) => s.submoduleId === 'seed-layout-a')).toBe(true);
    expect(b.cached.filter((s) => s.privacyLevel === 'PRIVATE').every((s) => s.submoduleId === 'seed-layout-b')).toBe(true);
  });

  it("keeps each one's pending writes to itself while the gateway is down, and nothing throws", async () => {
    await stack.stopGateway();
    let a: Report;
    let b: Report;
    try {
      [a, b] = await Promise.all([agent('a', 'offline'), agent('b', 'offline')]);
    } finally {
      await stack.startGateway();
    }
    for (const [who, report] of Object.entries({ a, b })) {
      expect(report.sync).toMatchObject({ online: false, code: 'NETWORK_ERROR' });
      expect(report.flush).toMatchObject({ online: false, code: 'NETWORK_ERROR', remaining: 1 });
      expect(report.status.pending).toBe(1);
      const [queued] = report.pending;
      expect(report.cached.find((s) => s.id === queued)?.title).toBe(`seed-layout-${who} written offline`);
    }
    expect(a.pending).not.toEqual(b.pending);
  });

  it("keeps A's conflict in A's cache only", async () => {
    // Someone else (A's token, straight to the gateway) edits A's TEAM session: A's cached copy is now stale.
    const session = wrote.a!.team!;
    ok(await graphql(stack.gatewayUrl, UPDATE_SESSION, { id: session, baseVersion: 1, input: { title: 'edited on the server' } }, token.a));
    const [a, b] = await Promise.all([agent('a', 'edit', session), agent('b', 'read')]);
    expect(a.flush).toMatchObject({ online: true, conflicts: 1 });
    expect(a.conflicts).toEqual([session]);
    expect(a.status.conflicts).toBe(1);
    expect(b.conflicts).toEqual([]);
    expect(b.status).toMatchObject({ conflicts: 0, pending: 0 });
  });
});
