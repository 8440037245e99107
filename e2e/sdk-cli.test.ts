import { execFile, spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient } from '@memory-context/sdk';
import BetterSqlite3 from 'better-sqlite3';
import { startTestStack, type TestStack } from './src/index.js';

const REPO = resolve(fileURLToPath(import.meta.url), '../..');
const run = promisify(execFile);

let stack: TestStack;
let dir: string;
let cachePath: string;

const BIN = join(REPO, 'sdk/bin/memctx.js');
const ENV = { ...process.env, MEMCTX_URL: '', MEMCTX_TOKEN: '', MEMCTX_CACHE_PATH: '', MEMCTX_CACHE_CONFIG: '', MEMCTX_PENDING_ALERT: '' };

/**
 * Runs the `memctx` bin in the test's checkout, `dir`, with its cache file, or in another checkout
 * with the default cache. `memctx login` stores its credentials in the checkout. The one test
 * through npx, as a user would, runs from the repository root.
 */
async function memctx(args: string[], viaNpx = false, env: Record<string, string> = {}, cwd = dir): Promise<{ code: number; stdout: string; stderr: string }> {
  const [command, prefix] = viaNpx ? ['npx', ['--no-install', 'memctx']] : [process.execPath, [BIN]];
  try {
    const { stdout, stderr } = await run(command as string, [...(prefix as string[]), ...(cwd === dir ? ['--cache', cachePath] : []), ...args], {
      cwd: viaNpx ? REPO : cwd,
      env: { ...ENV, ...env },
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
    expect(login).toMatchObject({ submoduleId: 'cli-submodule', verified: true, credentials: join(dir, '.memctx', 'credentials.json'), cachePath });

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
    const human = await memctx(['sessions'], true, { MEMCTX_URL: stack.gatewayUrl, MEMCTX_TOKEN: token });
    expect(human.stdout).toContain('Quartz key rotation');

    // Data on stdout, notes about where it came from on stderr.
    const searched = await memctx(['search', 'quartz rotation']);
    expect(searched.code).toBe(0);
    expect(searched.stdout).toContain(created.session.id);
    expect(searched.stdout).not.toContain('searched');
    expect(searched.stderr).toContain('searched the gateway');
    const explained = await memctx(['search', 'quartz rotation', '--explain']);
    expect(explained.code).toBe(0);
    expect(explained.stdout).toMatch(/#1 words: (quartz,rotat|rotat,quartz) · lexical \d\.\d\d · similarity \d\.\d\d · full text #1 · vectors #1/);
    expect(found.hits[0].explanation).toMatchObject({ rank: 1, matchedTerms: expect.arrayContaining(['quartz', 'rotat']), lexicalRank: 1 });
    const offline = await memctx(['sessions', '--offline']);
    expect(offline.stdout).toContain('Quartz key rotation');
    expect(offline.stdout).not.toContain('from the cache');
    expect(offline.stderr).toContain('from the cache');
    const none = await memctx(['search', 'zzyzx-nothing-matches', '--offline']);
    expect(none).toMatchObject({ code: 0, stdout: '' });
    expect(none.stderr).toContain('No hits');
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
      expect(failed.code).toBe(3);
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

  it('exits 1 when the gateway refuses, with the code on stderr', async () => {
    const badJson = await memctx(['conflicts', 'resolve', 'nope', 'reapply', '--json']);
    expect(badJson.code).toBe(1);
    expect(badJson.stdout).toBe('');
    expect(JSON.parse(badJson.stderr.trim().split('\n').at(-1) ?? '')).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});

describe('memctx cache', () => {
  it('exits 4 and touches nothing for a file that is not a cache, or a directory', async () => {
    const notes = join(mkdtempSync(join(tmpdir(), 'memctx-foreign-')), 'notes.txt');
    writeFileSync(notes, 'my notes\n');
    const rebuilt = await memctx(['--cache', notes, 'cache', 'rebuild']);
    expect(rebuilt).toMatchObject({ code: 4, stdout: '' });
    expect(rebuilt.stderr).toContain('CACHE_FOREIGN');
    expect(rebuilt.stderr).toContain('choose another cache path');
    expect(readFileSync(notes, 'utf8')).toBe('my notes\n');
    expect(readdirSync(dirname(notes))).toEqual(['notes.txt']);

    const folder = mkdtempSync(join(tmpdir(), 'memctx-folder-'));
    const checked = await memctx(['--cache', folder, 'cache', 'check', '--json']);
    expect(checked.code).toBe(4);
    expect(JSON.parse(checked.stderr.trim())).toMatchObject({ error: { code: 'CACHE_UNUSABLE', message: expect.stringContaining(folder) } });
    expect(statSync(folder).isDirectory()).toBe(true);
  });

  it('warns and exits 1 when a rebuild cannot tell how many queued writes were lost', async () => {
    const damaged = join(mkdtempSync(join(tmpdir(), 'memctx-damaged-')), 'cache.db');
    // Queued against a port nothing listens on: the writes stay in the outbox.
    const client = createClient({ url: 'http://127.0.0.1:9/graphql', token: await stack.token('cli-damaged'), cachePath: damaged, pullIntervalMs: 0, pushOnWrite: false });
    for (let i = 0; i < 20; i++) await client.sessions.create({ title: `Queued ${i}`, privacyLevel: 'TEAM', content: [{ role: 'user', text: 'z'.repeat(400) }] });
    await client.close();
    truncateSync(damaged, Math.floor(statSync(damaged).size / 2));

    const status = await memctx(['--cache', damaged, 'status', '--offline']);
    expect(status.code).toBe(4);
    expect(status.stderr).toContain('memctx cache rebuild');
    const rebuilt = await memctx(['--cache', damaged, 'cache', 'rebuild']);
    expect(rebuilt.code).toBe(1);
    expect(rebuilt.stdout).toContain('Fresh cache at');
    expect(rebuilt.stderr).toMatch(/Queued writes may have been lost and how many cannot be known/);
  });

  it('counts and names the queued writes a rebuild could not read when an index of the outbox survived', async () => {
    const damaged = join(mkdtempSync(join(tmpdir(), 'memctx-damaged-')), 'cache.db');
    const client = createClient({ url: 'http://127.0.0.1:9/graphql', token: await stack.token('cli-damaged'), cachePath: damaged, pullIntervalMs: 0, pushOnWrite: false });
    for (let i = 0; i < 60; i++) await client.sessions.create({ title: `Queued ${i}`, privacyLevel: 'TEAM', content: [{ role: 'user', text: 'z'.repeat(400) }] });
    await client.close();
    const db = new BetterSqlite3(damaged, { readonly: true });
    const leaf = db.prepare(`SELECT pageno, ncell FROM dbstat WHERE name = 'outbox' AND pagetype = 'leaf' ORDER BY pageno LIMIT 1 OFFSET 1`).get() as { pageno: number; ncell: number };
    db.close();
    const fd = openSync(damaged, 'r+');
    writeSync(fd, Buffer.alloc(8192, 0xa5), 0, 8192, (leaf.pageno - 1) * 8192);
    closeSync(fd);

    const rebuilt = await memctx(['--cache', damaged, 'cache', 'rebuild', '--json']);
    expect(rebuilt.code).toBe(1);
    expect(JSON.parse(rebuilt.stdout)).toMatchObject({ exported: { writes: 60 - leaf.ncell }, unrecovered: { writes: leaf.ncell } });
    const warning = rebuilt.stderr.trim().split('\n').map((line) => JSON.parse(line) as { warning?: { code: string; message: string } }).find((l) => l.warning?.code === 'WRITES_UNRECOVERED');
    expect(warning?.warning?.message).toContain(`${leaf.ncell} queued writes could not be recovered (session `);
  });
});

describe('memctx command-line conventions', () => {
  it('prints the package version with --version', async () => {
    const { version } = JSON.parse(readFileSync(join(REPO, 'sdk/package.json'), 'utf8')) as { version: string };
    expect(await memctx(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('lists its exit codes in --help', async () => {
    const help = await memctx(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit codes:/);
    expect(help.stdout).toMatch(/\b2\s+usage error/);
    expect(help.stdout).toMatch(/\b3\s+the gateway/);
  });

  it.each([
    [['sessions', '--first', 'abc'], '--first'],
    [['sessions', '--first', '0'], '--first'],
    [['search', 'x', '--limit', '-3'], '--limit'],
    [['search', 'x', '--kind', 'bogus'], '--kind'],
    [['session', 'create', '--title', 'x', '--privacy', 'SECRET'], '--privacy'],
    [['sync', '--interval', 'soon'], '--interval'],
    [['conflicts', 'resolve', 'some-id', 'maybe'], 'resolution'],
    [['no-such-command'], 'no-such-command'],
  ])('exits 2 on a bad command line (%j), naming what is wrong', async (args, named) => {
    const result = await memctx(args);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(named);
  });

  it('reports a usage error as one JSON line on stderr with --json', async () => {
    const result = await memctx(['sessions', '--first', 'abc', '--json']);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(JSON.parse(result.stderr.trim())).toMatchObject({ error: { code: 'USAGE', message: expect.stringContaining('--first') } });
  });

  it('says what `memctx login` needs when it cannot ask, and stores nothing', async () => {
    const checkout = mkdtempSync(join(tmpdir(), 'memctx-login-'));
    const loginCache = join(checkout, 'cache.db');
    const result = await memctx(['--cache', loginCache, 'login'], false, {}, checkout);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('--url');
    expect(result.stderr).toContain('--token');
    expect(readdirSync(checkout)).toEqual([]);
  });

  // util-linux `script` provides the pseudo-terminal; prompt.test.ts covers the prompt without one.
  const hasScript = spawnSync('script', ['--version']).status === 0;
  (!hasScript ? it.skip : it)('asks for the URL and the token on a terminal, without echoing the token', async () => {
    const checkout = mkdtempSync(join(tmpdir(), 'memctx-login-'));
    const loginCache = join(checkout, 'cache.db');
    const token = await stack.token('cli-prompted');
    // `script` gives the CLI a pseudo-terminal; answers are typed once each prompt is shown.
    const child = spawn('script', ['-qec', `${process.execPath} ${BIN} --cache ${loginCache} login`, '/dev/null'], { cwd: checkout, env: ENV });
    let output = '';
    const shown = (text: string) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (output.includes(text)) {
            child.stdout.off('data', check);
            resolve();
          }
        };
        child.stdout.on('data', check);
        check();
      });
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await shown('Gateway URL');
    child.stdin.write(`${stack.gatewayUrl}\r`);
    await shown('Token');
    child.stdin.write(`${token}\r`);
    expect(await exited, output).toBe(0);
    expect(output).toContain('Logged in as submodule cli-prompted');
    expect(output).not.toContain(token);
    const credentials = join(checkout, '.memctx', 'credentials.json');
    expect(JSON.parse(readFileSync(credentials, 'utf8'))).toEqual({ url: stack.gatewayUrl, token });
    expect(statSync(credentials).mode & 0o777).toBe(0o600);
  });

  it('still reads a login an earlier memctx stored beside the default cache, with a warning, until memctx login stores one in the checkout', async () => {
    const checkout = mkdtempSync(join(tmpdir(), 'memctx-legacy-'));
    const legacy = join(checkout, '.coditect', 'MEMORY-CONTEXT', 'cache', 'credentials.json');
    mkdirSync(dirname(legacy), { recursive: true });
    writeFileSync(legacy, JSON.stringify({ url: stack.gatewayUrl, token: await stack.token('cli-legacy') }));
    const before = await memctx(['status', '--json'], false, {}, checkout);
    expect(before.code, before.stderr).toBe(0);
    expect(JSON.parse(before.stdout)).toMatchObject({ submoduleId: 'cli-legacy', online: true, credentials: legacy });
    expect(before.stderr).toContain('LEGACY_CREDENTIALS');

    const token = await stack.token('cli-legacy-relogged');
    expect((await memctx(['login', '--url', stack.gatewayUrl, '--token', token], false, {}, checkout)).code).toBe(0);
    const after = await memctx(['status', '--json'], false, {}, checkout);
    expect(JSON.parse(after.stdout)).toMatchObject({ submoduleId: 'cli-legacy-relogged', credentials: join(checkout, '.memctx', 'credentials.json') });
    expect(after.stderr).not.toContain('LEGACY_CREDENTIALS');
    expect(readFileSync(legacy, 'utf8')).not.toContain(token);
  });

  it('warns on stderr when queued writes pass the alert threshold (status and sync --watch)', async () => {
    const alertCache = join(mkdtempSync(join(tmpdir(), 'memctx-alert-')), 'cache.db');
    const token = await stack.token('cli-alert');
    const env = { MEMCTX_PENDING_ALERT: '2', MEMCTX_URL: stack.gatewayUrl, MEMCTX_TOKEN: token };
    await stack.stopGateway();
    try {
      expect((await memctx(['--cache', alertCache, 'session', 'create', '--title', 'one'], false, env)).code).toBe(0);
      const below = await memctx(['--cache', alertCache, 'status'], false, env);
      expect(below.code).toBe(0);
      expect(below.stderr).not.toContain('queued');
      expect((await memctx(['--cache', alertCache, 'session', 'create', '--title', 'two'], false, env)).code).toBe(0);
      const status = await memctx(['--cache', alertCache, 'status', '--json'], false, env);
      expect(status.code).toBe(0);
      expect(JSON.parse(status.stdout)).toMatchObject({ pending: 2, pendingAlert: { pending: 2, threshold: 2 } });
      expect(status.stderr).toMatch(/2 writes are queued/);

      const watch = spawn(process.execPath, [BIN, '--cache', alertCache, 'sync', '--watch', '--interval', '1h'], { cwd: dir, env: { ...ENV, ...env } });
      let stderr = '';
      await new Promise<void>((resolve) => {
        watch.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          if (/2 writes are queued/.test(stderr)) resolve();
        });
      });
      const exited = new Promise<number | null>((resolve) => watch.on('close', resolve));
      watch.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      await stack.startGateway();
    }
  });
});
