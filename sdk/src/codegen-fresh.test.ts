import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import { expect, it } from '@jest/globals';
import { codegenConfig } from '../codegen.js';

const SDK = fileURLToPath(new URL('..', import.meta.url));

it('src/generated/graphql.ts is what `npm run codegen` makes of schema/api.graphql and src/operations', async () => {
  const outputs = (await generate({ ...codegenConfig, cwd: SDK, silent: true }, false)) as Array<{ filename: string; content: string }>;
  expect(outputs).toHaveLength(1);
  const committed = readFileSync(new URL('./generated/graphql.ts', import.meta.url), 'utf8');
  expect(committed === outputs[0]!.content, 'The generated SDK client is stale: run `npm run codegen` and commit the result.').toBe(true);
}, 60_000);
