import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestStack, type TestStack } from './src/index.js';

/**
 * memctx in the seed's layout: each submodule checkout's `.coditect` is a
 * symlink to one shared framework folder. Each checkout must keep its own
 * cache file and its own login, and honour the shared cache.config.json.
 */
const REPO = resolve(fileURLToPath(import.meta.url), '../..');
const BIN = join(REPO, 'sdk/bin/memctx.js');
const ENV = { ...process.env, MEMCTX_URL: '', MEMCTX_TOKEN: '', MEMCTX_CACHE_PATH: '', MEMCTX_CACHE_CONFIG: '', MEMCTX_PENDING_ALERT: '', MEMCTX_ACCESS_REASON: '' };
const execute = promisify(execFile);

type Who = 'a' | 'b' | 'c';
let stack: TestStack;
let framework: string;
const checkout: Record<Who, string> = { a: '', b: '', c: '' };
const token: Record<Who, string> = { a: '', b: '', c: '' };
const configFile = () => join(framework, 'MEMORY-CONTEXT', 'cache.config.json');

async function memctx(who: Who, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execute(process.execPath, [BIN, ...args], { cwd: checkout[who], env: { ...ENV, ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

async function json<T = any>(who: Who, args: string[], env: Record<string, string> = {}): Promise<T> {
  const result = await memctx(who, [...args, '--json'], env);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as T;
}

/** Every file under a folder, following nothing but real directories. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

beforeAll(async () => {
  stack = await startTestStack();
  const root = mkdtempSync(join(tmpdir(), 'memctx-cli-seed-'));
  framework = join(root, 'coditect-project-dot-claude');
  mkdirSync(join(framework, 'MEMORY-CONTEXT'), { recursive: true });
  for (const who of ['a', 'b', 'c'] as const) {
    checkout[who] = join(root, 'submodules', `cloud-${who}`);
    mkdirSync(checkout[who], { recursive: true });
    symlinkSync(framework, join(checkout[who], '.coditect'), 'dir');
    token[who] = await stack.token(`cli-seed-${who}`);
  }
});
afterAll(async () => stack?.stop());

describe("memctx in the seed's layout (one .coditect folder shared through symlinks)", () => {
  const ids: Record<'a' | 'b', { team: string; private: string }> = { a: { team: '', private: '' }, b: { team: '', private: '' } };

  it('logs each checkout in on its own: credentials in the checkout, a cache file per submodule', async () => {
    for (const who of ['a', 'b'] as const) {
      const login = await json(who, ['login', '--url', stack.gatewayUrl, '--token', token[who]]);
      const credentials = join(checkout[who], '.memctx', 'credentials.json');
      expect(login).toMatchObject({ submoduleId: `cli-seed-${who}`, verified: true, credentials });
      expect(statSync(credentials).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(checkout[who], '.memctx', '.gitignore'), 'utf8')).toMatch(/^\*$/m);
      expect(realpathSync(login.cachePath)).toBe(join(realpathSync(framework), 'MEMORY-CONTEXT', 'cache', `cli-seed-${who}`, 'memory-cache.db'));
    }
    // Nothing of either login lands in the shared folder.
    const shared = filesUnder(framework);
    expect(shared.some((f) => f.endsWith('credentials.json'))).toBe(false);
    for (const f of shared) expect(readFileSync(f).includes(token.a) || readFileSync(f).includes(token.b), f).toBe(false);
    expect(readFileSync(join(checkout.a, '.memctx', 'credentials.json'), 'utf8')).not.toContain(token.b);
    expect(readFileSync(join(checkout.b, '.memctx', 'credentials.json'), 'utf8')).not.toContain(token.a);
  });

  it('writes, syncs and reports status from its own cache, and never sees the other one’s PRIVATE sessions', async () => {
    for (const who of ['a', 'b'] as const) {
      const team = await json(who, ['session', 'create', '--title', `Nimbus ${who} team`, '--privacy', 'TEAM']);
      const secret = await json(who, ['session', 'create', '--title', `Nimbus ${who} private`, '--privacy', 'PRIVATE']);
      expect([team.syncState, secret.syncState]).toEqual(['synced', 'synced']);
      ids[who] = { team: team.session.id, private: secret.session.id };
    }
    for (const who of ['a', 'b'] as const) expect((await json(who, ['sync'])).pushed).toMatchObject({ remaining: 0 });

    const [a, b] = [await json('a', ['status']), await json('b', ['status'])];
    for (const [who, status] of Object.entries({ a, b })) {
      expect(status).toMatchObject({ submoduleId: `cli-seed-${who}`, url: stack.gatewayUrl, online: true, pending: 0, credentials: join(checkout[who as 'a' | 'b'], '.memctx', 'credentials.json') });
      expect(realpathSync(status.cachePath)).toBe(join(realpathSync(framework), 'MEMORY-CONTEXT', 'cache', `cli-seed-${who}`, 'memory-cache.db'));
    }
    expect(a.cachePath).not.toBe(b.cachePath);

    const cached = async (who: 'a' | 'b') => ((await json(who, ['sessions', '--offline', '--first', '100'])).nodes as Array<{ id: string }>).map((s) => s.id);
    const [inA, inB] = [await cached('a'), await cached('b')];
    expect(inA).toEqual(expect.arrayContaining([ids.a.team, ids.a.private, ids.b.team]));
    expect(inA).not.toContain(ids.b.private);
    expect(inB).toEqual(expect.arrayContaining([ids.b.team, ids.b.private, ids.a.team]));
    expect(inB).not.toContain(ids.a.private);
  });

  it('keeps each checkout’s queued writes in its own outbox while the gateway is down', async () => {
    await stack.stopGateway();
    try {
      for (const who of ['a', 'b'] as const) expect((await json(who, ['session', 'create', '--title', `Nimbus ${who} offline`])).syncState).toBe('pending');
      const queued = async (who: 'a' | 'b') => (await json(who, ['outbox', 'list'])) as Array<{ write: { id: string; kind: string } }>;
      const [a, b] = [await queued('a'), await queued('b')];
      expect(a).toHaveLength(1);
      expect(b).toHaveLength(1);
      expect(a[0]!.write.id).not.toBe(b[0]!.write.id);
      expect(await json('a', ['status', '--offline'])).toMatchObject({ pending: 1, submoduleId: 'cli-seed-a' });
    } finally {
      await stack.startGateway();
    }
    for (const who of ['a', 'b'] as const) expect((await json(who, ['sync'])).pushed).toMatchObject({ sent: 1, remaining: 0 });
  });

  it("takes the gateway URL from the shared cache.config.json when no --url, MEMCTX_URL or login gives one", async () => {
    writeFileSync(configFile(), JSON.stringify({ version: '1.0', sync: { api_url: stack.gatewayUrl } }));
    const env = { MEMCTX_TOKEN: token.c };
    const status = await json('c', ['status'], env);
    expect(status).toMatchObject({ url: stack.gatewayUrl, online: true, submoduleId: 'cli-seed-c', credentials: null, cacheConfigPath: join(checkout.c, '.coditect', 'MEMORY-CONTEXT', 'cache.config.json') });
    expect(realpathSync(status.cachePath)).toBe(join(realpathSync(framework), 'MEMORY-CONTEXT', 'cache', 'cli-seed-c', 'memory-cache.db'));
    const synced = await json('c', ['sync'], env);
    expect(synced.status).toMatchObject({ online: true, url: stack.gatewayUrl });
    expect(synced.pulled.upserted).toBeGreaterThanOrEqual(2); // a's and b's TEAM sessions
    expect(existsSync(join(checkout.c, '.memctx'))).toBe(false);
  });

  it('exits 2 naming the key when the shared cache.config.json has an invalid one', async () => {
    writeFileSync(configFile(), JSON.stringify({ version: '1.0', sync: { api_url: stack.gatewayUrl, retry_atempts: 3 } }));
    try {
      for (const args of [['status'], ['sync'], ['status', '--json']]) {
        const result = await memctx('a', args);
        expect(result.code, result.stderr).toBe(2);
        expect(result.stdout).toBe('');
        expect(result.stderr).toContain('INVALID_OPTIONS');
        expect(result.stderr).toContain('sync.retry_atempts');
      }
    } finally {
      rmSync(configFile());
    }
  });
});
