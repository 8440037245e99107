import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from '@jest/globals';
import { packageVersion } from './version.js';

it('reads the version of the SDK package.json above the sources', () => {
  const own = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  expect(packageVersion()).toBe(own.version);
});

it('finds it from a bundle in dist/, past other package.json files', () => {
  const root = mkdtempSync(join(tmpdir(), 'memctx-version-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: '@memory-context/sdk', version: '9.8.7' }));
  mkdirSync(join(root, 'dist', 'nested'), { recursive: true });
  writeFileSync(join(root, 'dist', 'nested', 'package.json'), JSON.stringify({ type: 'module' }));
  expect(packageVersion(pathToFileURL(join(root, 'dist', 'nested', 'cli.js')).href)).toBe('9.8.7');
});
