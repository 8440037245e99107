import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, validate, type GraphQLSchema } from 'graphql';
import { beforeAll, expect, it } from '@jest/globals';
import { apiSchema } from '@memory-context/gateway';

const root = join(import.meta.dirname, '..');
const documents = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** Every ```graphql block of the README and docs/, with where it stands. */
function examples(): Array<{ where: string; source: string }> {
  const found: Array<{ where: string; source: string }> = [];
  for (const file of documents) {
    const text = readFileSync(join(root, file), 'utf8');
    for (const match of text.matchAll(/```graphql\n([\s\S]*?)```/g)) {
      const line = text.slice(0, match.index).split('\n').length;
      found.push({ where: `${file}:${line}`, source: match[1] ?? '' });
    }
  }
  return found;
}

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await apiSchema();
});

it('every GraphQL example in the README and docs/ is valid against the supergraph', () => {
  const blocks = examples();
  expect(blocks.length).toBeGreaterThan(0);
  const problems: string[] = [];
  for (const { where, source } of blocks) {
    // Schema excerpts (type definitions) are not operations; skip them.
    if (/^\s*(type|input|enum|scalar|extend|interface|union|schema|")/m.test(source) && !/^\s*(query|mutation|subscription|\{)/m.test(source)) continue;
    try {
      const errors = validate(schema, parse(source));
      for (const error of errors) problems.push(`${where}: ${error.message}`);
    } catch (error) {
      problems.push(`${where}: ${(error as Error).message}`);
    }
  }
  expect(problems).toEqual([]);
});
