import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { CREATE_SESSION, GET_SESSION, graphql, ok, stopProcessGroup } from './src/index.js';

/** One `npm start` in its own process group, as a user runs it. */
interface Launch {
  child: ChildProcess;
  output(): string;
  url: string;
}

const launched: Launch[] = [];

function launch(dataDir: string): Launch {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const env: NodeJS.ProcessEnv = { ...process.env, MEMCTX_GATEWAY_PORT: String(port), MEMCTX_DATA_DIR: dataDir, MEMCTX_LOG_LEVEL: 'warn' };
  delete env.MEMCTX_JWT_SECRET;
  delete env.MEMCTX_DATABASE_URL; // the lock guards the embedded PGlite directory
  const child = spawn('npm', ['start', '--silent'], { cwd: join(import.meta.dirname, '..'), env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const running = { child, output: () => output, url: `http://127.0.0.1:${port}/graphql` };
  launched.push(running);
  return running;
}

/** Waits until the launcher prints its dev token (up) or exits (refused); returns the token or the exit code. */
async function settle(run: Launch): Promise<{ token: string } | { exitCode: number }> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const token = /Dev token[^\n]*\n(\S+)/.exec(run.output())?.[1];
    if (token) return { token };
    if (run.child.exitCode !== null) return { exitCode: run.child.exitCode };
    if (Date.now() > deadline) throw new Error(`npm start neither came up nor exited:\n${run.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function up(run: Launch): Promise<string> {
  const result = await settle(run);
  if (!('token' in result)) throw new Error(`npm start exited with ${result.exitCode}:\n${run.output()}`);
  return result.token;
}

/** Ctrl-C: the whole process group gets SIGTERM; waits until none of it is left. */
function stop(run: Launch): Promise<void> {
  return stopProcessGroup(run.child.pid);
}

afterEach(async () => {
  for (const run of launched.splice(0)) await stop(run);
});

async function createSessions(url: string, token: string, prefix: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const input = { privacyLevel: 'TEAM', title: `${prefix} ${i}` };
    ids.push(ok(await graphql(url, CREATE_SESSION, { input }, token)).createSession.id);
  }
  return ids;
}

async function readable(url: string, token: string, ids: string[]): Promise<number> {
  let found = 0;
  for (const id of ids) if ((await graphql(url, GET_SESSION, { id }, token)).data?.session?.id === id) found++;
  return found;
}

describe('one owner per data directory', () => {
  it('refuses a second npm start on the same directory, and the first keeps every write', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'memctx-lock-'));
    const first = launch(dataDir);
    const firstToken = await up(first);
    const before = await createSessions(first.url, firstToken, 'before', 10);

    const second = launch(dataDir);
    const refused = await settle(second);
    expect(refused).toMatchObject({ exitCode: expect.any(Number) });
    expect((refused as { exitCode: number }).exitCode).not.toBe(0);
    const holder = JSON.parse(readFileSync(join(dataDir, 'memctx.lock'), 'utf8')) as { pid: number };
    expect(second.output()).toContain(`already in use by process ${holder.pid}`);
    expect(second.output()).toContain(dataDir);
    expect(second.output()).not.toMatch(/Aborted|\n\s+at /); // a message, not a crash

    const after = await createSessions(first.url, firstToken, 'after', 10);
    expect(await readable(first.url, firstToken, [...before, ...after])).toBe(20);

    // A clean stop leaves a directory the next start opens with every write.
    await stop(first);
    expect(existsSync(join(dataDir, 'memctx.lock'))).toBe(false);
    const third = launch(dataDir);
    const thirdToken = await up(third);
    expect(await readable(third.url, thirdToken, [...before, ...after])).toBe(20);
  }, 240_000);

  it('takes over a stale lock left by a process that no longer runs', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'memctx-lock-'));
    mkdirSync(dataDir, { recursive: true });
    const dead = spawnSync(process.execPath, ['-e', '']).pid; // has exited when spawnSync returns
    writeFileSync(join(dataDir, 'memctx.lock'), JSON.stringify({ pid: dead, host: hostname(), startedAt: new Date().toISOString() }));
    const run = launch(dataDir);
    const token = await up(run);
    const holder = JSON.parse(readFileSync(join(dataDir, 'memctx.lock'), 'utf8')) as { pid: number };
    expect(holder.pid).not.toBe(dead);
    expect(() => process.kill(holder.pid, 0)).not.toThrow();
    expect(await createSessions(run.url, token, 'stale', 1)).toHaveLength(1);
  }, 180_000);
});
