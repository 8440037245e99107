import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql, startTestStack, type TestStack } from './src/index.js';

/**
 * The README's and docs/api.md's example operations, run as written against
 * the embedded stack over HTTP: each with the JSON variables printed after it.
 * docs-examples.test.ts validates every block against the schema; this one
 * checks that they also work, in an order a reader could follow.
 */

const root = join(import.meta.dirname, '..');

interface Example {
  where: string;
  source: string;
  operation: OperationDefinitionNode;
  variables: Record<string, unknown>;
}

/** Root fields that only an admin token may use (docs/api.md says so for each). */
const ADMIN_FIELDS = new Set(['auditEvents', 'registerSubmodule']);

/** Writes first, then reads of what they wrote, then the deletion last. */
const ORDER: Record<string, number> = { createSession: 0, updateSession: 1, registerSubmodule: 1, deleteSession: 9 };

function rootField(operation: OperationDefinitionNode): string {
  const first = operation.selectionSet.selections[0];
  return first?.kind === Kind.FIELD ? first.name.value : '';
}

/** Each ```graphql operation of a document, with the ```json block that follows it when it declares variables. */
function examples(file: string): Example[] {
  const text = readFileSync(join(root, file), 'utf8');
  const blocks = [...text.matchAll(/```(graphql|json)\n([\s\S]*?)```/g)];
  const found: Example[] = [];
  blocks.forEach((block, i) => {
    if (block[1] !== 'graphql') return;
    const source = block[2] ?? '';
    const definition = parse(source).definitions[0];
    if (definition?.kind !== Kind.OPERATION_DEFINITION) return;
    const next = blocks[i + 1];
    const declares = (definition.variableDefinitions?.length ?? 0) > 0;
    const variables = declares && next?.[1] === 'json' ? (JSON.parse(next[2] ?? '{}') as Record<string, unknown>) : {};
    found.push({ where: `${file}:${text.slice(0, block.index).split('\n').length}`, source, operation: definition, variables });
  });
  return found.sort((a, b) => (ORDER[rootField(a.operation)] ?? 5) - (ORDER[rootField(b.operation)] ?? 5));
}

let stack: TestStack;
let member: string;
let admin: string;

beforeAll(async () => {
  stack = await startTestStack();
  // The README's token: `npm start` prints one for submodule "dev".
  member = await stack.token('dev');
  admin = await stack.token('ops', ['memory:read', 'memory:write', 'memory:admin']);
});

afterAll(async () => {
  await stack?.stop();
});

async function run(example: Example) {
  const token = ADMIN_FIELDS.has(rootField(example.operation)) ? admin : member;
  const response = await graphql(stack.gatewayUrl, example.source, example.variables, token);
  return { ...response, where: example.where };
}

describe.each(['README.md', 'docs/api.md'])('%s', (file) => {
  it('every example operation runs as written, without errors', async () => {
    const list = examples(file);
    expect(list.length).toBeGreaterThan(1);
    const failures: string[] = [];
    const results = [];
    for (const example of list) {
      const result = await run(example);
      results.push(result);
      if (result.status !== 200 || result.errors?.length || !result.data) {
        failures.push(`${result.where}: ${result.status} ${JSON.stringify(result.errors)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(results.every((result) => result.data)).toBe(true);
  });
});

describe('what the examples say they return', () => {
  it('README: the first session is stored with its e-mail masked, and the list shows it', async () => {
    const [create, list] = examples('README.md');
    // The stack from the suite above holds it already: a replay of the same idempotency key returns the first result.
    const created = (await run(create!)).data as { createSession: { title: string; content: Array<{ text: string }>; redaction: { total: number } } };
    expect(created.createSession.content[0]?.text).toContain('h***@example.com');
    expect(created.createSession.content[0]?.text).not.toContain('hello@example.com');
    expect(created.createSession.redaction.total).toBeGreaterThan(0);
    const listed = (await run(list!)).data as { sessions: { nodes: Array<{ title: string; submoduleId: string }> } };
    expect(listed.sessions.nodes).toContainEqual(expect.objectContaining({ title: 'Fixed the login redirect loop', submoduleId: 'dev' }));
  });

  it('docs/api.md: the documented session id is created, read, updated to version 2 and deleted', async () => {
    const list = examples('docs/api.md');
    const byField = (field: string) => list.find((example) => rootField(example.operation) === field)!;
    const id = byField('createSession').variables.input as { id: string };
    const changes = (await run(byField('sessionChanges'))).data as { sessionChanges: { changes: Array<{ id: string; op: string; version: number }> } };
    const ofSession = changes.sessionChanges.changes.filter((change) => change.id === id.id);
    // Create (version 1), update (version 2), then the deletion: the feed ends with it.
    expect(ofSession.map((change) => change.version)).toEqual(expect.arrayContaining([1, 2]));
    expect(ofSession.at(-1)?.op).toBe('DELETE');
    const get = await run(byField('session'));
    expect(get.data).toEqual({ session: null });
  });
});
