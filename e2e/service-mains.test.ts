import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

/**
 * Each service's own main (production runs one process per service) on a
 * busy port: it stops with a message naming the variable and the port, and
 * no stack trace, like `npm start` does.
 */

const root = join(import.meta.dirname, '..');

function holdPort(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function run(service: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'services', service, 'src', 'main.ts')], { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

const SERVICES = [
  ['gateway', 'MEMCTX_GATEWAY_PORT'],
  ['sessions', 'MEMCTX_SESSIONS_PORT'],
  ['patterns', 'MEMCTX_PATTERNS_PORT'],
  ['checkpoints', 'MEMCTX_CHECKPOINTS_PORT'],
  ['search', 'MEMCTX_SEARCH_PORT'],
] as const;

it.each(SERVICES)('the %s main on a busy port names %s and exits 1', async (service, variable) => {
  const holder = await holdPort();
  const port = (holder.address() as { port: number }).port;
  try {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      [variable]: String(port),
      MEMCTX_DATA_DIR: mkdtempSync(join(tmpdir(), `memctx-main-${service}-`)),
      MEMCTX_LOG_LEVEL: 'silent',
    };
    delete env.MEMCTX_DATABASE_URL; // each main opens its own embedded database here, never the shared test server
    const { code, stderr } = await run(service, env);
    expect(code).toBe(1);
    expect(stderr).toContain(`port ${port} on 127.0.0.1 is already in use (${variable})`);
    expect(stderr).toContain(`${variable}=<port> node services/${service}/dist/main.js`);
    expect(stderr).not.toMatch(/^\s+at /m);
  } finally {
    await new Promise((resolve) => holder.close(resolve));
  }
}, 120_000);

it('a main with an invalid setting lists the problem, without a stack trace', async () => {
  const { code, stderr } = await run('sessions', { ...process.env, MEMCTX_SESSIONS_PORT: 'not-a-port', MEMCTX_LOG_LEVEL: 'silent' });
  expect(code).toBe(1);
  expect(stderr).toContain('Invalid configuration');
  expect(stderr).toContain('MEMCTX_SESSIONS_PORT');
  expect(stderr).not.toMatch(/^\s+at /m);
}, 60_000);
