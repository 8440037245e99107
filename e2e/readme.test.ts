import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from '@jest/globals';
import { OPTIONS } from '@memory-context/config';

const root = join(import.meta.dirname, '..');

it('the README configuration table lists every MEMCTX_* option', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const missing = Object.values(OPTIONS).map((o) => o.env).filter((env) => !readme.includes(`| \`${env}\` |`));
  expect(missing).toEqual([]);
});

it('.ci/run calls the README test command on PGlite and Postgres', () => {
  const ci = readFileSync(join(root, '.ci/run'), 'utf8');
  expect(ci.match(/npm test/g)?.length).toBe(2);
  expect(ci).toContain('MEMCTX_DATABASE_URL=');
});
