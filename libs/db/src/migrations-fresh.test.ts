import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from '@jest/globals';

const root = join(import.meta.dirname, '../../..');
const schema = join(root, 'libs/db/src/schema/index.ts');
const migrations = join(root, 'libs/db/migrations');
const drizzleKit = join(root, 'node_modules/.bin/drizzle-kit');
const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/**
 * `drizzle-kit generate` against a copy of the committed migrations: it
 * writes a new migration exactly when the schema and the last snapshot
 * disagree. drizzle-kit takes `--out` relative to its working directory, so it
 * runs inside the copy; stdin is closed, and a question (a possible rename)
 * ends in the timeout instead of waiting for an answer.
 */
async function generate(schemaFile: string): Promise<{ added: string[]; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'memctx-migrations-'));
  scratch.push(dir);
  cpSync(migrations, join(dir, 'migrations'), { recursive: true });
  const before = new Set(readdirSync(join(dir, 'migrations')));
  const run = await promisify(execFile)(drizzleKit, ['generate', '--dialect', 'postgresql', '--schema', schemaFile, '--out', './migrations'], {
    cwd: dir,
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1' },
  }).catch((error: { stdout?: string; stderr?: string; killed?: boolean; message: string }) => ({
    stdout: `${error.stdout ?? ''}\n${error.killed ? 'drizzle-kit was stopped after 60 s: it asked a question (a rename?) or hung' : error.message}`,
    stderr: error.stderr ?? '',
  }));
  const added = readdirSync(join(dir, 'migrations')).filter((name) => !before.has(name));
  return { added, output: `${run.stdout}${run.stderr}` };
}

it('the committed migrations match the drizzle schema (else: npm run db:generate)', async () => {
  const { added, output } = await generate(schema);
  expect(added, output).toEqual([]);
  expect(output).toContain('No schema changes');
}, 90_000);

it('a schema change the migrations lack is caught', async () => {
  // Under node_modules/.cache so that `drizzle-orm` resolves from the repository.
  const dir = join(root, 'node_modules/.cache', `memctx-schema-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  scratch.push(dir);
  const changed = join(dir, 'schema.ts');
  writeFileSync(
    changed,
    [
      `export * from ${JSON.stringify(schema)};`,
      `import { integer, pgSchema } from 'drizzle-orm/pg-core';`,
      `export const freshnessProbe = pgSchema('registry').table('freshness_probe', { id: integer('id').primaryKey() });`,
      '',
    ].join('\n'),
  );
  const { added, output } = await generate(changed);
  expect(added.some((name) => name.endsWith('.sql')), output).toBe(true);
}, 90_000);
