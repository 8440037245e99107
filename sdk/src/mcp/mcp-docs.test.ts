import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { fakeToken } from '../../test-fixtures/fake-gateway.js';
import { createClient, type MemoryClient } from '../index.js';
import { createMemoryServer } from './server.js';

// docs/mcp.md is true as written: it names what the server serves, and its examples are accepted by it.
const doc = readFileSync(join(import.meta.dirname, '../../../docs/mcp.md'), 'utf8');
const jsonBlocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!);

let memory: MemoryClient;
let mcp: Client;

beforeAll(async () => {
  memory = createClient({ token: fakeToken('docs'), cachePath: join(mkdtempSync(join(tmpdir(), 'memctx-mcp-docs-')), 'cache.db'), pullIntervalMs: 0 });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await createMemoryServer(memory, { version: '0.0.0-test', log: () => undefined }).connect(serverSide);
  mcp = new Client({ name: 'docs', version: '1.0.0' });
  await mcp.connect(clientSide);
});
afterAll(async () => {
  await mcp.close();
  await memory.close();
});

it('has a table row for every tool and resource, and names the prompt', async () => {
  const { tools } = await mcp.listTools();
  const { resources } = await mcp.listResources();
  const { prompts } = await mcp.listPrompts();
  expect(tools.map((t) => t.name).filter((name) => !doc.includes(`| \`${name}\` |`))).toEqual([]);
  expect(resources.map((r) => r.uri).filter((uri) => !doc.includes(`| \`${uri}\` |`))).toEqual([]);
  expect(prompts.map((p) => p.name).filter((name) => !doc.includes(`\`${name}\``))).toEqual([]);
});

it('gives configurations that parse and start `memctx mcp`', () => {
  const configs = jsonBlocks.map((b) => JSON.parse(b) as Record<string, any>);
  const servers = configs.flatMap((c) => (c.mcpServers ? Object.values(c.mcpServers) : c.command ? [c] : [])) as Array<{ command: string; args: string[] }>;
  expect(servers.length).toBeGreaterThanOrEqual(3);
  for (const server of servers) expect([server.command, ...server.args]).toEqual(['npx', 'memctx', 'mcp']);
});

it('shows tool calls the server accepts', async () => {
  const calls = jsonBlocks.map((b) => JSON.parse(b) as { name?: string; arguments?: Record<string, unknown> }).filter((c) => c.name && c.arguments);
  expect(calls.map((c) => c.name)).toEqual(['recall', 'remember']);
  for (const call of calls) {
    const result = await mcp.callTool({ name: call.name!, arguments: call.arguments! });
    expect(result.isError).toBeUndefined();
  }
});
