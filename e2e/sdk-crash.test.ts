import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { sessions } from '@memory-context/db';
import { createClient } from '@memory-context/sdk';
import { startTestStack, type TestStack } from './src/index.js';

const REPO = resolve(fileURLToPath(import.meta.url), '../..');
const CHILD = join(REPO, 'sdk/test-fixtures/flush-child.ts');
const SUBMODULE = 'sdk-crash';
const N = 200;

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => stack?.stop());

async function serverCount(): Promise<number> {
  const [row] = await stack.deps.database.db.select({ n: count() }).from(sessions).where(eq(sessions.submoduleId, SUBMODULE));
  return row?.n ?? 0;
}

async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

it('resends what a killed flush left, and the server holds each write exactly once', async () => {
  const token = await stack.token(SUBMODULE);
  const cachePath = join(mkdtempSync(join(tmpdir(), 'memctx-sdk-crash-')), 'cache.db');
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, stack.gatewayUrl, token, cachePath, String(N)], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = once(child, 'exit');

  await waitFor(async () => output.includes('queued') || child.exitCode !== null, 'the child to queue its writes');
  expect(output).toContain('queued');
  // Batches of 10, two in flight (the child's flushConcurrency): a third batch is sent only once an answer was
  // settled in the child's cache, so past 20 on the server some writes are no longer pending there. (Past 10 was
  // not enough: the first two batches can both reach the server before the child hears of either.)
  await waitFor(async () => (await serverCount()) > 2 * 10, 'a third batch to reach the server');
  child.kill('SIGKILL');
  const [code, signal] = await exited;
  expect(signal ?? code).toBe('SIGKILL');
  const atKill = await serverCount();
  expect(atKill, 'the kill came after the flush had finished').toBeLessThan(N);

  const client = createClient({ url: stack.gatewayUrl, token, cachePath, pushOnWrite: false, pullIntervalMs: 0 });
  try {
    const pending = client.status().pending;
    // Writes the server took but the child never heard back about are still queued: they go again, as replays.
    expect(pending).toBeGreaterThanOrEqual(N - atKill);
    expect(pending).toBeLessThan(N);
    const result = await client.flush();
    expect(result).toMatchObject({ sent: pending, rejected: 0, conflicts: 0, remaining: 0 });

    const rows = await stack.deps.database.db.select({ id: sessions.id, title: sessions.title }).from(sessions).where(eq(sessions.submoduleId, SUBMODULE));
    expect(rows).toHaveLength(N);
    expect(new Set(rows.map((r) => r.title)).size).toBe(N);
    const cached = await client.sessions.list(null, { fetchPolicy: 'cache-only', first: N + 10 });
    expect(cached.nodes.map((s) => s.id).sort()).toEqual(rows.map((r) => r.id).sort());
  } finally {
    await client.close();
  }
});
