import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { graphql, ok } from './src/index.js';

let child: ChildProcess | undefined;

/**
 * `npm start` runs tsx, which runs node: three processes. Signalling npm alone
 * left the stack running after the suite, so the whole process group goes,
 * and this waits until no process of the group is left.
 */
async function stopAll(): Promise<void> {
  const group = child?.pid;
  if (!group || !groupAlive(group)) return;
  signalGroup(group, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while (groupAlive(group) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (groupAlive(group)) signalGroup(group, 'SIGKILL');
}

function groupAlive(group: number): boolean {
  try {
    process.kill(-group, 0);
    return true;
  } catch {
    return false; // ESRCH: every process of the group has exited
  }
}

function signalGroup(group: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-group, signal);
  } catch {
    // gone meanwhile
  }
}
afterAll(stopAll);

/** What a new user does: `npm start`, then paste the printed token. */
it('npm start serves the gateway and prints a token that works', async () => {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const env: NodeJS.ProcessEnv = { ...process.env, MEMCTX_GATEWAY_PORT: String(port), MEMCTX_DATA_DIR: mkdtempSync(join(tmpdir(), 'memctx-start-')) };
  delete env.MEMCTX_JWT_SECRET;
  delete env.MEMCTX_DATABASE_URL; // the embedded default is what a new user gets
  child = spawn('npm', ['start', '--silent'], { cwd: join(import.meta.dirname, '..'), env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 90_000;
  while (!/Dev token[^\n]*\n(\S+)/.test(output)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`npm start did not come up:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const token = /Dev token[^\n]*\n(\S+)/.exec(output)?.[1] ?? '';
  expect(output).toContain(`http://127.0.0.1:${port}/graphql`);
  const url = `http://127.0.0.1:${port}/graphql`;
  const created = ok(await graphql(url, 'mutation { createSession(input: { privacyLevel: TEAM, title: "First memory" }) { id submoduleId } }', {}, token));
  expect(created.createSession.submoduleId).toBe('dev');
  const page = await fetch(url, { headers: { accept: 'text/html' } });
  expect(await page.text()).toMatch(/sandbox/i);

  // Ctrl-C stops the whole stack: nothing keeps serving once npm start is gone.
  await stopAll();
  await new Promise((resolve) => setTimeout(resolve, 500));
  await expect(fetch(url, { method: 'POST' })).rejects.toThrow();
}, 120_000);
