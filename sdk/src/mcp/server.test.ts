import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { fakeToken } from '../../test-fixtures/fake-gateway.js';
import { createClient, type MemoryClient } from '../index.js';
import { createMemoryServer } from './server.js';
import { estimateTokens } from './token-budget.js';

// A real client with a real cache and no gateway configured: everything these tests see is the offline path.
let memory: MemoryClient;
let mcp: Client;
let listed = false;
const logs: string[] = [];

beforeEach(async () => {
  const cachePath = join(mkdtempSync(join(tmpdir(), 'memctx-mcp-')), 'cache.db');
  memory = createClient({ token: fakeToken('mcp-unit'), cachePath, pullIntervalMs: 0 });
  const server = createMemoryServer(memory, { version: '0.0.0-test', log: (m) => logs.push(m) });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  mcp = new Client({ name: 'unit', version: '1.0.0' });
  listed = false;
  await mcp.connect(clientSide);
});
afterEach(async () => {
  await mcp.close();
  await memory.close();
});

async function call(name: string, args: Record<string, unknown>) {
  // The client checks results against the output schemas it has listed: list them first, as agents do.
  if (!listed) {
    await mcp.listTools();
    listed = true;
  }
  return (await mcp.callTool({ name, arguments: args })) as CallToolResult & { structuredContent?: Record<string, any> };
}

describe('tools over a client with no gateway', () => {
  it('lists the eight tools, each with a description and an input schema', async () => {
    const { tools } = await mcp.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['checkpoint', 'forget', 'get', 'recall', 'record_pattern', 'remember', 'sync_status', 'use_pattern']);
    for (const tool of tools) {
      expect(tool.description!.length).toBeGreaterThan(80);
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type).toBe('object');
    }
    const remember = tools.find((t) => t.name === 'remember')!;
    expect(Object.keys(remember.inputSchema.properties!)).toEqual(expect.arrayContaining(['text', 'messages', 'privacy', 'append']));
  });

  it('remembers offline: redacted, queued, and recalled from the cache', async () => {
    const result = await call('remember', { title: 'Kumquat deploy', text: 'The kumquat deploy needs ops@example.com to approve', tags: ['deploy'] });
    expect(result.isError).toBeUndefined();
    expect(result.structuredContent).toMatchObject({ appended: false, session: { title: 'Kumquat deploy', privacyLevel: 'TEAM', messages: 1, redacted: 1 }, delivery: { state: 'queued', online: false } });
    expect(JSON.parse((result.content[0] as { text: string }).text)).toEqual(result.structuredContent);
    const id = result.structuredContent!.session.id as string;

    const got = await call('get', { id });
    expect(got.structuredContent).toMatchObject({ kind: 'session', syncState: 'pending', entity: { id } });
    expect(JSON.stringify(got.structuredContent)).not.toContain('ops@example.com');

    const recalled = await call('recall', { query: 'kumquat deploy' });
    expect(recalled.structuredContent).toMatchObject({ source: 'cache', stale: true, ranking: 'CACHE_FULL_TEXT', hits: [{ kind: 'session', id, title: 'Kumquat deploy' }] });
    expect(recalled.structuredContent!.hits[0].matched).toEqual(expect.arrayContaining(['kumquat']));
    expect(recalled.structuredContent!.note).toMatch(/^From the local cache, .* No gateway URL or token is configured/);
  });

  it('appends to the current session when asked, and starts a new one otherwise', async () => {
    const first = await call('remember', { text: 'Started on the flaky CI job' });
    const id = first.structuredContent!.session.id;
    const appended = await call('remember', { text: 'Fixed it with a retry', append: true });
    expect(appended.structuredContent).toMatchObject({ appended: true, session: { id, messages: 2 } });
    const other = await call('remember', { text: 'Something else' });
    expect(other.structuredContent!.session.id).not.toBe(id);
    const explicit = await call('remember', { sessionId: id, messages: [{ role: 'user', text: 'and a third' }] });
    expect(explicit.structuredContent).toMatchObject({ appended: true, session: { id, messages: 3 } });
  });

  it('keeps EPHEMERAL local: never queued', async () => {
    const result = await call('remember', { text: 'scratch note', privacy: 'EPHEMERAL' });
    expect(result.structuredContent).toMatchObject({ delivery: { state: 'local-only' } });
    expect(memory.status().pending).toBe(0);
    expect(memory.outbox.export().ephemeral).toHaveLength(1);
  });

  it('records and uses patterns, takes checkpoints and forgets, all queued', async () => {
    const recorded = await call('record_pattern', { kind: 'ERROR_FIX', name: 'Retry flaky npm installs', body: { steps: ['npm ci --prefer-offline'] } });
    expect(recorded.structuredContent).toMatchObject({ outcome: 'queued', pattern: { kind: 'ERROR_FIX', occurrences: 1 }, delivery: { state: 'queued' } });
    const id = recorded.structuredContent!.pattern.id;
    expect((await call('use_pattern', { id })).structuredContent).toMatchObject({ pattern: { id, usageCount: 1 }, delivery: { state: 'queued' } });
    expect((await call('checkpoint', { title: 'Halfway', summary: 'CI is green' })).structuredContent).toMatchObject({ auto: false, checkpoint: { title: 'Halfway' }, delivery: { state: 'queued' } });
    expect((await call('checkpoint', { auto: true })).structuredContent).toMatchObject({ auto: true, delivery: { state: 'queued' } });
    const session = (await call('remember', { text: 'contains a mistake' })).structuredContent!.session.id;
    expect((await call('forget', { kind: 'session', id: session, reason: 'the user asked for erasure' })).structuredContent).toMatchObject({ delivery: { state: 'queued' } });
    expect((await call('get', { id: session })).isError).toBe(true);
    const status = await call('sync_status', {});
    expect(status.structuredContent).toMatchObject({ online: null, pending: 6, submoduleId: 'mcp-unit', conflicts: [], rejected: [] });
    expect(status.structuredContent!.reason).toMatch(/No gateway URL/);
  });
});

describe('bad input', () => {
  it('answers a tool error naming the field, and the server keeps serving', async () => {
    const wrongType = await call('recall', { query: 42 });
    expect(wrongType.isError).toBe(true);
    expect((wrongType.content[0] as { text: string }).text).toMatch(/Input validation error.*query/s);
    const badEnum = await call('remember', { text: 'x', privacy: 'SECRET' });
    expect((badEnum.content[0] as { text: string }).text).toMatch(/privacy/);
    const nothing = await call('remember', {});
    expect(nothing.isError).toBe(true);
    expect((nothing.content[0] as { text: string }).text).toMatch(/^BAD_USER_INPUT: Nothing to remember/);
    const shortReason = await call('forget', { kind: 'session', id: 'x', reason: 'no' });
    expect((shortReason.content[0] as { text: string }).text).toMatch(/reason/);
    const unknown = await call('no_such_tool', {});
    expect(unknown.isError).toBe(true);
    expect((await call('sync_status', {})).isError).toBeUndefined();
  });
});

describe('resources and the prompt', () => {
  it('lists the three resources and reads them as markdown', async () => {
    const { resources } = await mcp.listResources();
    expect(resources.map((r) => r.uri).sort()).toEqual(['memctx://checkpoints/latest', 'memctx://patterns/most-used', 'memctx://sessions/recent']);
    await call('remember', { title: 'Upgrade Node', text: 'moved CI to Node 20' });
    await call('checkpoint', { title: 'Node 20 everywhere', content: 'All jobs run Node 20.' });
    const recent = await mcp.readResource({ uri: 'memctx://sessions/recent' });
    expect(recent.contents[0]).toMatchObject({ mimeType: 'text/markdown' });
    expect((recent.contents[0] as { text: string }).text).toContain('**Upgrade Node**');
    const latest = await mcp.readResource({ uri: 'memctx://checkpoints/latest' });
    expect((latest.contents[0] as { text: string }).text).toContain('All jobs run Node 20.');
  });

  it('assembles project memory within the token budget, checkpoint first', async () => {
    await call('checkpoint', { title: 'Milestone', content: 'x'.repeat(20_000) });
    for (let i = 0; i < 12; i++) await call('record_pattern', { kind: 'CONVENTION', name: `Convention number ${i}`, description: 'y'.repeat(200) });
    for (let i = 0; i < 12; i++) await call('remember', { title: `Session ${i}`, text: 'z'.repeat(300) });
    const { prompts } = await mcp.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(['load-project-memory']);
    for (const budget of [300, 1000, 5000]) {
      const prompt = await mcp.getPrompt({ name: 'load-project-memory', arguments: { budget: String(budget) } });
      const text = (prompt.messages[0]!.content as { text: string }).text;
      expect(estimateTokens(text)).toBeLessThanOrEqual(budget);
      expect(text).toContain('## Latest checkpoint');
      expect(text.indexOf('Milestone')).toBeLessThan(text.indexOf('## Most-used patterns') === -1 ? Infinity : text.indexOf('## Most-used patterns'));
    }
    const roomy = (await mcp.getPrompt({ name: 'load-project-memory', arguments: { budget: '5000' } })).messages[0]!.content as { text: string };
    expect(roomy.text).toContain('## Most-used patterns');
    expect(roomy.text).toContain('## Recent sessions');
    await expect(mcp.getPrompt({ name: 'load-project-memory', arguments: { budget: 'lots' } })).rejects.toThrow(/budget/);
  });
});
