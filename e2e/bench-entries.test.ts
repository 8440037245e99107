import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from '@jest/globals';

/**
 * `npm run bench` runs outside the test runner, with plain tsx: each bench
 * program must load there (no import may reach a test-only module, such as a
 * contract suite that imports '@jest/globals') and print its usage.
 */
const root = join(import.meta.dirname, '..');
const run = promisify(execFile);

it.each(['run', 'throughput-bench', 'search-bench', 'sdk-bench', 'nested-bench'])('e2e/bench/%s.ts loads under plain tsx and prints its usage', async (name) => {
  const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', join(root, 'e2e', 'bench', `${name}.ts`), '--help'], { cwd: root, timeout: 60_000 });
  expect(`${stdout}${stderr}`).toMatch(/--\w+/);
}, 90_000);
