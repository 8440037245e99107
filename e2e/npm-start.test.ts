import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from '@jest/globals';
import { graphql, ok, stopProcessGroup } from './src/index.js';

let child: ChildProcess | undefined;

async function stopAll(): Promise<void> {
  await stopProcessGroup(child?.pid, 10_000);
}
afterAll(stopAll);

const PORT_VARIABLES = ['MEMCTX_GATEWAY_PORT', 'MEMCTX_SESSIONS_PORT', 'MEMCTX_PATTERNS_PORT', 'MEMCTX_CHECKPOINTS_PORT', 'MEMCTX_SEARCH_PORT'] as const;
type PortVariable = (typeof PORT_VARIABLES)[number];

/** Free ports from the OS for all five servers, so parallel suites never meet on 4000–4004. */
async function freePorts(): Promise<Record<PortVariable, number>> {
  const servers = await Promise.all(PORT_VARIABLES.map(() => listenAnywhere()));
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return Object.fromEntries(PORT_VARIABLES.map((name, i) => [name, ports[i]])) as Record<PortVariable, number>;
}

function listenAnywhere(port = 0): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

function startEnv(ports: Record<PortVariable, number>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, MEMCTX_DATA_DIR: mkdtempSync(join(tmpdir(), 'memctx-start-')) };
  for (const name of PORT_VARIABLES) env[name] = String(ports[name]);
  delete env.MEMCTX_JWT_SECRET;
  delete env.MEMCTX_DATABASE_URL; // the embedded default is what a new user gets
  delete env.MEMCTX_LOG_LEVEL; // the default level, so startup logs appear as they do for a user
  return env;
}

/** `npm start` in its own process group, its stdout and stderr kept apart. */
function npmStart(env: NodeJS.ProcessEnv): { process: ChildProcess; stdout: () => string; stderr: () => string } {
  const started = spawn('npm', ['start', '--silent'], { cwd: join(import.meta.dirname, '..'), env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  started.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  started.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { process: started, stdout: () => stdout, stderr: () => stderr };
}

function exited(started: ChildProcess): Promise<number | null> {
  if (started.exitCode !== null) return Promise.resolve(started.exitCode);
  return new Promise((resolve) => started.once('exit', (code) => resolve(code)));
}

/** What a new user does: `npm start`, then paste the printed token. */
it('npm start serves the gateway and prints a token that works', async () => {
  const ports = await freePorts();
  const port = ports.MEMCTX_GATEWAY_PORT;
  const run = npmStart(startEnv(ports));
  child = run.process;
  const deadline = Date.now() + 90_000;
  while (!/Dev token[^\n]*\n(\S+)/.test(run.stderr())) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`npm start did not come up:\n${run.stderr()}${run.stdout()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const token = /Dev token[^\n]*\n(\S+)/.exec(run.stderr())?.[1] ?? '';
  expect(run.stderr()).toContain(`http://127.0.0.1:${port}/graphql`);
  expect(run.stderr()).toContain(`http://127.0.0.1:${port}/explorer`);
  const url = `http://127.0.0.1:${port}/graphql`;
  const created = ok(await graphql(url, 'mutation { createSession(input: { privacyLevel: TEAM, title: "First memory" }) { id submoduleId } }', {}, token));
  expect(created.createSession.submoduleId).toBe('dev');
  const page = await fetch(url, { headers: { accept: 'text/html' } });
  expect(await page.text()).toMatch(/sandbox/i);

  // The banner is one block on stderr; stdout holds nothing but JSON log lines, at least the startup ones.
  const banner = run.stderr().slice(run.stderr().indexOf('memory-context is running'));
  expect(banner).toMatch(/^memory-context is running\n(?:  .*\n)+\nDev token[^\n]*\n\S+\n\nAnother submodule: [^\n]*\n$/);
  const logLines = run.stdout().split('\n').filter((line) => line !== '');
  expect(logLines.length).toBeGreaterThan(0);
  for (const line of logLines) expect(() => JSON.parse(line), line).not.toThrow();

  // Ctrl-C stops the whole stack: nothing keeps serving once npm start is gone.
  await stopAll();
  await new Promise((resolve) => setTimeout(resolve, 500));
  await expect(fetch(url, { method: 'POST' })).rejects.toThrow();
}, 120_000);

/** A port another program holds: a message naming the variable that chose it, not a stack trace. */
it.each(['MEMCTX_GATEWAY_PORT', 'MEMCTX_SEARCH_PORT'] as const)('npm start with %s on a busy port says which variable to change', async (variable) => {
  const ports = await freePorts();
  const holder = await listenAnywhere(ports[variable]);
  try {
    const run = npmStart(startEnv(ports));
    child = run.process;
    const code = await exited(run.process);
    expect(code).not.toBe(0);
    expect(run.stderr()).toContain(`port ${ports[variable]} on 127.0.0.1 is already in use (${variable})`);
    expect(run.stderr()).toContain(`${variable}=<port> npm start`);
    expect(run.stderr()).not.toMatch(/^\s+at /m);
  } finally {
    await stopAll();
    await new Promise((resolve) => holder.close(resolve));
  }
}, 120_000);
