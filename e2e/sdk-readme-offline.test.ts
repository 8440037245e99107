import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { startTestStack, type TestStack } from './src/index.js';

const REPO = resolve(fileURLToPath(import.meta.url), '../..');
const TSX = pathToFileURL(join(REPO, 'node_modules/tsx/dist/loader.mjs')).href;
const run = promisify(execFile);

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => stack?.stop());

/** The README's SDK block as written, pointed at this stack, plus a line that prints what sync() resolved with. */
function readmeSnippet(): string {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const block = /```ts\n([\s\S]*?createClient[\s\S]*?)```/.exec(readme)?.[1];
  expect(block, 'the README has a ts block with createClient').toBeDefined();
  expect(block).toContain('await memory.sync();');
  return block!
    .replace("'@memory-context/sdk'", JSON.stringify(pathToFileURL(join(REPO, 'sdk/src/index.ts')).href))
    .replace("'http://127.0.0.1:4000/graphql'", JSON.stringify(stack.gatewayUrl))
    .replace('await memory.sync();', 'console.log(JSON.stringify(await memory.sync()));');
}

it("runs the README's SDK snippet with the gateway stopped: sync() resolves with online: false and the process exits 0", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'memctx-readme-'));
  const file = join(dir, 'snippet.mts');
  writeFileSync(file, readmeSnippet());
  const token = await stack.token('readme-offline');
  await stack.stopGateway();
  try {
    const { stdout } = await run(process.execPath, ['--import', TSX, file], { cwd: dir, env: { ...process.env, MEMCTX_TOKEN: token, MEMCTX_CACHE_PATH: '' } });
    const synced = JSON.parse(stdout.trim().split('\n').at(-1)!) as { online: boolean; code: string; reason: string; pushed: { remaining: number } };
    expect(synced).toMatchObject({ online: false, code: 'NETWORK_ERROR', pushed: { remaining: 1 } });
    expect(synced.reason).toContain(stack.gatewayUrl);
  } finally {
    await stack.startGateway();
  }
});
