import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * `npm run bench`: every benchmark in turn, each in its own process so one's
 * memory and warm caches do not colour the next. `--only sessions,search`
 * picks some; other arguments (`--quick`, `--duration 5`…) are passed on.
 */
const SUITES = {
  sessions: 'run.ts',
  nested: 'nested-bench.ts',
  search: 'search-bench.ts',
  sdk: 'sdk-bench.ts',
  throughput: 'throughput-bench.ts',
} as const;

const args = process.argv.slice(2);
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? (args[onlyAt + 1] ?? '').split(',') : Object.keys(SUITES);
const passOn = onlyAt >= 0 ? [...args.slice(0, onlyAt), ...args.slice(onlyAt + 2)] : args;

let failed = 0;
for (const [name, file] of Object.entries(SUITES)) {
  if (!only.includes(name)) continue;
  process.stdout.write(`\n=== ${name} (${file}) ===\n`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, file), ...(name === 'sessions' ? passOn : passOn.filter((a) => a === '--quick'))], {
    stdio: 'inherit',
    env: { ...process.env, APOLLO_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) {
    failed++;
    process.stderr.write(`${name} benchmark exited with ${result.status ?? result.signal}\n`);
  }
}
process.exit(failed > 0 ? 1 : 0);
