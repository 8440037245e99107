import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import semver from 'semver';
import { expect, it } from '@jest/globals';

const root = join(import.meta.dirname, '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
};

/**
 * `engines` is a promise: on every Node it admits, no locked package asks for
 * a newer one (npm prints EBADENGINE for each that does). Checked at the
 * lowest version of each range the root admits.
 */
it('every locked package runs on each Node the root engines admit', () => {
  const floors = manifest.engines.node.split('||').map((range) => semver.minVersion(range.trim())?.version ?? range);
  expect(floors.length).toBeGreaterThan(0);
  const refused: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    const wanted = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
    if (!path || !wanted) continue;
    for (const floor of floors) if (!semver.satisfies(floor, wanted)) refused.push(`${path}@${entry.version} wants node ${wanted}, not ${floor}`);
  }
  expect(refused).toEqual([]);
});

it('npm ls finds every dependency within its declared range', async () => {
  const result = await promisify(execFile)('npm', ['ls', '--all', '--json'], { cwd: root, maxBuffer: 64 * 1024 * 1024 }).catch(
    (error: { stdout?: string; code?: number }) => ({ stdout: error.stdout ?? '', code: error.code }),
  );
  const problems = (JSON.parse(result.stdout) as { problems?: string[] }).problems ?? [];
  expect(problems).toEqual([]);
}, 60_000);
