import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './src/index.js';

const REPO = resolve(fileURLToPath(import.meta.url), '../..');
const run = promisify(execFile);

let stack: TestStack;
let dir: string;
let cachePath: string;

/** Runs the `memctx` bin from the repository root (one test goes through npx, as a user would). */
async function memctx(args: string[], viaNpx = false): Promise<{ code: number; stdout: string; stderr: string }> {
  const [command, prefix] = viaNpx ? ['npx', ['--no-install', 'memctx']] : [process.execPath, [join(REPO, 'sdk/bin/memctx.js')]];
  try {
    const { stdout, stderr } = await run(command as string, [...(prefix as string[]), '--cache', cachePath, ...args], {
      cwd: REPO,
      env: { ...process.env, MEMCTX_URL: '', MEMCTX_TOKEN: '', MEMCTX_CACHE_PATH: '' },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

async function json<T = any>(args: string[]): Promise<T> {
  const result = await memctx([...args, '--json']);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as T;
}

beforeAll(async () => {
  stack = await startTestStack();
  dir = mkdtempSync(join(tmpdir(), 'memctx-cli-'));
  cachePath = join(dir, 'cache', 'memory-cache.db');
});
afterAll(async () => stack?.stop());

describe('memctx', () => {
  it('logs in, records a session from a conversation file, lists and finds it', async () => {
    const token = await stack.token('cli-submodule');
    const login = await json(['login', '--url', stack.gatewayUrl, '--token', token]);
    expect(login).toMatchObject({ submoduleId: 'cli-submodule', verified: true, credentials: join(dir, 'cache', 'credentials.json') });

    const conversation = join(dir, 'conversation.json');
    writeFileSync(conversation, JSON.stringify([{ role: 'user', text: 'How do we rotate the quartz keys?' }, { role: 'assistant', text: 'Run the quartz rotation job.' }]));
    const created = await json(['session', 'create', '--title', 'Quartz key rotation', '--file', conversation, '--privacy', 'TEAM', '--tags', 'ops,keys']);
    expect(created).toMatchObject({ syncState: 'synced', session: { title: 'Quartz key rotation', tags: ['ops', 'keys'] } });
    expect(created.session.content).toHaveLength(2);

    const list = await json(['sessions']);
    expect(list).toMatchObject({ source: 'network', nodes: [expect.objectContaining({ id: created.session.id })] });
    const cached = await json(['search', 'quartz rotation', '--offline']);
    expect(cached).toMatchObject({ source: 'cache', hits: [expect.objectContaining({ id: created.session.id })] });
    await stack.search.indexer.catchUp();
    const found = await json(['search', 'quartz rotation']);
    expect(found.source).toBe('network');
    expect(found.hits.map((h: { id: string }) => h.id)).toContain(created.session.id);
    const human = await memctx(['sessions'], true);
    expect(human.stdout).toContain('Quartz key rotation');
  });

  it('queues while the gateway is down, syncs when it is back, and reports status', async () => {
    await stack.stopGateway();
    try {
      const queued = await json(['session', 'create', '--title', 'Written offline', '--privacy', 'TEAM']);
      expect(queued.syncState).toBe('pending');
      expect(await json(['status'])).toMatchObject({ pending: 1, online: false, submoduleId: 'cli-submodule' });
      const offlineList = await json(['sessions']);
      expect(offlineList).toMatchObject({ source: 'cache', stale: true });
      const failed = await memctx(['sync']);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain('NETWORK_ERROR');
    } finally {
      await stack.startGateway();
    }
    const synced = await json(['sync']);
    expect(synced.pushed).toMatchObject({ sent: 1, remaining: 0 });
    expect(await json(['status'])).toMatchObject({ pending: 0, conflicts: 0, rejected: 0, online: true });
    expect(await json(['conflicts'])).toEqual([]);
  });

  it('rebuilds a cache and re-imports an export', async () => {
    const rebuilt = await json(['cache', 'rebuild']);
    expect(rebuilt).toMatchObject({ cachePath, exportPath: null });
    const exportFile = join(dir, 'pending.json');
    expect(await json(['outbox', 'export', exportFile])).toMatchObject({ writes: 0 });
    expect(await json(['outbox', 'import', exportFile])).toMatchObject({ writes: 0 });
    expect(await json(['cache', 'check'])).toMatchObject({ ok: true });
  });

  it('explains bad input with a code and exit status 1', async () => {
    const bad = await memctx(['session', 'create', '--title', 'x', '--privacy', 'SECRET']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('BAD_USER_INPUT');
    const badJson = await memctx(['conflicts', 'resolve', 'nope', 'reapply', '--json']);
    expect(badJson.code).toBe(1);
    expect(JSON.parse(badJson.stderr.trim().split('\n').at(-1) ?? '')).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});
