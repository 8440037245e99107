/**
 * `memctx mcp` as a coding agent meets it: started from the packed SDK installed in a project outside this
 * repository, with plain node, and driven over stdio by the MCP SDK's own Client against the real embedded stack,
 * with the gateway stopped and started again. Then over Streamable HTTP on loopback, checked by the MCP
 * conformance suite (@modelcontextprotocol/conformance) for every server feature it declares.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { patterns, sessions } from '@memory-context/db';
import { BASE_ENV, exec, installPackedSdk, REPO, startTestStack, type PackedSdk, type TestStack } from './src/index.js';

const SUBMODULE = 'sdk-mcp';

let packed: PackedSdk;
let stack: TestStack;
let mcp: Client;
let transport: StdioClientTransport;
const protocolErrors: Error[] = [];
let stderr = '';

beforeAll(async () => {
  packed = await installPackedSdk({ prefix: 'memctx-sdk-mcp-' });
  stack = await startTestStack();
  const env = { ...BASE_ENV, MEMCTX_URL: stack.gatewayUrl, MEMCTX_TOKEN: await stack.token(SUBMODULE), MEMCTX_CACHE_PATH: join(packed.work, 'mcp-cache.db') };
  transport = new StdioClientTransport({ command: process.execPath, args: [packed.bin, 'mcp'], cwd: packed.project, env, stderr: 'pipe' });
  transport.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  mcp = new Client({ name: 'e2e-agent', version: '1.0.0' });
  // A line on stdout that is not a protocol message would arrive here.
  mcp.onerror = (error) => protocolErrors.push(error);
  await mcp.connect(transport);
}, 600_000);

afterAll(async () => {
  await mcp?.close();
  await stack?.stop();
  if (packed) rmSync(packed.work, { recursive: true, force: true });
});

type Result = CallToolResult & { structuredContent?: Record<string, any> };

async function call(name: string, args: Record<string, unknown>): Promise<Result> {
  return (await mcp.callTool({ name, arguments: args })) as Result;
}

const text = (result: Result) => (result.content[0] as { text: string }).text;

async function serverSessions(title: string) {
  return stack.deps.database.db
    .select({ id: sessions.id, title: sessions.title, content: sessions.content })
    .from(sessions)
    .where(and(eq(sessions.submoduleId, SUBMODULE), eq(sessions.title, title), isNull(sessions.deletedAt)));
}

describe('memctx mcp from the packed SDK, over stdio', () => {
  it('lists its tools, resources and prompt', async () => {
    expect(mcp.getServerVersion()).toMatchObject({ name: 'memctx' });
    const { tools } = await mcp.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['checkpoint', 'forget', 'get', 'recall', 'record_pattern', 'remember', 'sync_status', 'use_pattern']);
    const { resources } = await mcp.listResources();
    expect(resources.map((r) => r.uri).sort()).toEqual(['memctx://checkpoints/latest', 'memctx://patterns/most-used', 'memctx://sessions/recent']);
    expect((await mcp.listPrompts()).prompts.map((p) => p.name)).toEqual(['load-project-memory']);
  });

  let remembered: string;

  it('remembers: the session reaches the gateway, redacted', async () => {
    const result = await call('remember', {
      title: 'Quince cache warmup',
      messages: [
        { role: 'user', text: 'The quince cache warmup times out; ask dana@example.com' },
        { role: 'assistant', text: 'Raised the warmup timeout to 90s and split the batch in two.' },
      ],
      tags: ['cache'],
    });
    expect(result.isError).toBeUndefined();
    expect(result.structuredContent).toMatchObject({ appended: false, session: { messages: 2, redacted: 1 }, delivery: { state: 'sent', online: true } });
    remembered = result.structuredContent!.session.id;
    const rows = await serverSessions('Quince cache warmup');
    expect(rows.map((r) => r.id)).toEqual([remembered]);
    expect(JSON.stringify(rows[0]!.content)).not.toContain('dana@example.com');
  });

  it('recalls it through the gateway, with the hit explained', async () => {
    await stack.search.indexer.catchUp();
    const result = await call('recall', { query: 'quince warmup timeout' });
    expect(result.structuredContent).toMatchObject({ source: 'network', stale: false, ranking: 'HYBRID' });
    const hit = result.structuredContent!.hits.find((h: { id: string }) => h.id === remembered);
    expect(hit).toMatchObject({ kind: 'session', title: 'Quince cache warmup', submoduleId: SUBMODULE });
    expect(hit.why).toMatch(/^#\d+ by full-text and meaning rankings fused/);
  });

  it('records a pattern, and merges the same lesson recorded again', async () => {
    const lesson = { kind: 'ERROR_FIX', name: 'Split the quince warmup batch', body: 'Two batches of 500 instead of one of 1000.', sourceSessionIds: [remembered] };
    const first = await call('record_pattern', lesson);
    expect(first.structuredContent).toMatchObject({ outcome: 'created', pattern: { occurrences: 1 }, delivery: { state: 'sent' } });
    const again = await call('record_pattern', { ...lesson, name: 'split the Quince warmup batch!' });
    expect(again.structuredContent).toMatchObject({ outcome: 'merged', pattern: { id: first.structuredContent!.pattern.id, occurrences: 2 }, delivery: { state: 'sent' } });
    const used = await call('use_pattern', { id: first.structuredContent!.pattern.id });
    expect(used.structuredContent).toMatchObject({ delivery: { state: 'sent' } });
    const rows = await stack.deps.database.db.select({ usageCount: patterns.usageCount, occurrences: patterns.occurrences }).from(patterns).where(eq(patterns.id, first.structuredContent!.pattern.id));
    expect(rows).toEqual([{ usageCount: 1, occurrences: 2 }]);
  });

  it('says when the gateway refused a write for good', async () => {
    const result = await call('record_pattern', { kind: 'SOLUTION', name: 'Learned from a session that does not exist', sourceSessionIds: ['01890000-0000-7000-8000-000000000001'] });
    expect(result.structuredContent).toMatchObject({ outcome: 'refused', delivery: { state: 'rejected', online: true } });
    expect(result.structuredContent!.delivery.reason).toMatch(/^[A-Z_]+: /);
    const status = await call('sync_status', {});
    expect(status.structuredContent!.rejected).toEqual([expect.objectContaining({ kind: 'pattern', entityId: result.structuredContent!.pattern.id })]);
  });

  describe('with the gateway stopped', () => {
    let queued: string;

    beforeAll(async () => {
      await stack.stopGateway();
    });

    it('recalls from the cache and says so', async () => {
      const result = await call('recall', { query: 'quince warmup' });
      expect(result.structuredContent).toMatchObject({ source: 'cache', stale: true, ranking: 'CACHE_FULL_TEXT' });
      expect(result.structuredContent!.hits.map((h: { id: string }) => h.id)).toContain(remembered);
      expect(result.structuredContent!.note).toMatch(/could not be reached/);
      const got = await call('get', { id: remembered });
      expect(got.structuredContent).toMatchObject({ source: 'cache', stale: true, entity: { id: remembered } });
    });

    it('queues what it remembers', async () => {
      const result = await call('remember', { title: 'Offline medlar note', text: 'Written while the gateway was down.' });
      expect(result.structuredContent).toMatchObject({ delivery: { state: 'queued', online: false } });
      queued = result.structuredContent!.session.id;
      expect(await serverSessions('Offline medlar note')).toEqual([]);
      const status = await call('sync_status', {});
      expect(status.structuredContent).toMatchObject({ online: false, pending: 1 });
    });

    it('once the gateway is back, the queued write arrives exactly once', async () => {
      await stack.startGateway();
      const status = await call('sync_status', { sync: true });
      expect(status.structuredContent).toMatchObject({ online: true, pending: 0, conflicts: [] });
      expect(status.structuredContent!.rejected).toHaveLength(1);
      // A second sync, and the client's own retries, send nothing more.
      await call('sync_status', { sync: true });
      expect((await serverSessions('Offline medlar note')).map((r) => r.id)).toEqual([queued]);
    });
  });

  it('answers invalid arguments with a clear error, and keeps serving', async () => {
    const wrong = await call('remember', { text: 'x', privacy: 'TOP_SECRET' });
    expect(wrong.isError).toBe(true);
    expect(text(wrong)).toMatch(/Invalid arguments for tool remember/);
    expect(text(wrong)).toMatch(/privacy/);
    const missing = await call('get', {});
    expect(missing.isError).toBe(true);
    expect(text(missing)).toMatch(/id/);
    const unknown = await call('get', { id: '01890000-0000-7000-8000-000000000000' });
    expect(unknown.isError).toBe(true);
    expect(text(unknown)).toMatch(/^NOT_FOUND: No session, pattern or checkpoint has id/);
    await expect(mcp.ping()).resolves.toEqual({});
  });

  it('wrote nothing but protocol messages on stdout, and its talk on stderr', () => {
    expect(protocolErrors).toEqual([]);
    expect(stderr).toMatch(/^memctx mcp: cache .*mcp-cache\.db; gateway http:/m);
    expect(stderr).toMatch(/memctx mcp: serving MCP over stdio/);
  });
});

/**
 * The conformance scenarios for what the server declares: the lifecycle, ping, logging, listing tools, resources
 * and prompts, and the Streamable HTTP transport (DNS rebinding protection on loopback, concurrent streams). The
 * other scenarios call fixtures of the specification's reference server (a `test_simple_text` tool, a
 * `test://static-text` resource, a `test_simple_prompt` prompt, a `test_reconnection` tool, completions,
 * subscriptions), which this server does not declare.
 */
const CONFORMANCE_SCENARIOS = [
  'server-initialize',
  'ping',
  'logging-set-level',
  'tools-list',
  'resources-list',
  'prompts-list',
  'dns-rebinding-protection',
  'server-sse-multiple-streams',
];

// 0.1.13 is the newest release that runs on Node 20: later ones import fs.globSync (Node 22).
const CONFORMANCE_BIN = join(dirname(createRequire(join(REPO, 'e2e/package.json')).resolve('@modelcontextprotocol/conformance/package.json')), 'dist/index.js');

describe('memctx mcp --http from the packed SDK', () => {
  let server: ChildProcess;
  let url: string;
  let talk = '';

  beforeAll(async () => {
    const env = { ...BASE_ENV, MEMCTX_URL: stack.gatewayUrl, MEMCTX_TOKEN: await stack.token(SUBMODULE), MEMCTX_CACHE_PATH: join(packed.work, 'http-cache.db') };
    server = spawn(process.execPath, [packed.bin, 'mcp', '--http', '--port', '0'], { cwd: packed.project, env, stdio: ['ignore', 'pipe', 'pipe'] });
    url = await new Promise<string>((resolve, reject) => {
      server.stderr!.on('data', (chunk: Buffer) => {
        talk += chunk.toString();
        const found = /serving MCP over Streamable HTTP at (\S+)/.exec(talk);
        if (found) resolve(found[1]!);
      });
      server.once('exit', (code) => reject(new Error(`memctx mcp --http exited ${code}: ${talk}`)));
    });
  });

  afterAll(async () => {
    if (server && server.exitCode === null) {
      server.kill('SIGKILL');
      await new Promise((resolve) => server.once('exit', resolve));
    }
  });

  it('listens on loopback and serves the tools to an HTTP client', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const client = new Client({ name: 'e2e-http-agent', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    try {
      const result = (await client.callTool({ name: 'recall', arguments: { query: 'quince warmup' } })) as Result;
      expect(result.structuredContent).toMatchObject({ source: 'network', stale: false });
      expect(result.structuredContent!.hits.map((h: { title: string }) => h.title)).toContain('Quince cache warmup');
    } finally {
      await client.close();
    }
  });

  for (const scenario of CONFORMANCE_SCENARIOS) {
    it(`passes the conformance scenario ${scenario}`, async () => {
      const run = await exec(process.execPath, [CONFORMANCE_BIN, 'server', '--url', url, '--scenario', scenario, '-o', join(packed.work, 'conformance')], packed.work);
      expect({ scenario, code: run.code, output: run.stdout + run.stderr }).toMatchObject({ scenario, code: 0 });
      expect(run.stdout).toMatch(/0 failed/);
    });
  }

  it('refuses to listen beyond loopback (exit 2, naming the option)', async () => {
    const run = await exec(process.execPath, [packed.bin, 'mcp', '--http', '--host', '0.0.0.0'], packed.project);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--host.*0\.0\.0\.0.*127\.0\.0\.1, localhost, ::1/s);
  });

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(talk).not.toMatch(/Error|failed/);
  });
});
