import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { auditEvents } from '@memory-context/db';
import { EXPECTED, MALFORMED, PLANTED, writeSeedFolder } from '../sdk/test-fixtures/memory-context-folder.js';
import { graphql, ok, startTestStack, type TestStack } from './src/index.js';

const REPO = resolve(fileURLToPath(import.meta.url), '../..');
const BIN = join(REPO, 'sdk/bin/memctx.js');
const run = promisify(execFile);

let stack: TestStack;
let work: string;

interface Connection {
  token: string;
  cachePath: string;
}

function env(c: Connection): NodeJS.ProcessEnv {
  return { ...process.env, MEMCTX_URL: stack.gatewayUrl, MEMCTX_TOKEN: c.token, MEMCTX_CACHE_PATH: c.cachePath };
}

/** Runs the real `memctx` bin. */
async function memctx(c: Connection, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd: REPO, env: env(c), maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

async function importJson(c: Connection, dir: string, extra: string[] = []): Promise<{ code: number; report: any; stderr: string }> {
  const result = await memctx(c, ['import', dir, '--json', ...extra]);
  expect(result.stdout, result.stderr).not.toBe('');
  return { code: result.code, report: JSON.parse(result.stdout), stderr: result.stderr };
}

const SESSIONS = `query($filter: SessionFilter, $after: String) { sessions(filter: $filter, first: 100, after: $after) {
  nodes { id title tags privacyLevel startedAt content { role text } redaction { total counts { kind count } } } pageInfo { endCursor hasNextPage } } }`;
const PATTERNS = `query($filter: PatternFilter) { patterns(filter: $filter, first: 100) { nodes { id name kind occurrences body } } }`;
const CHECKPOINTS = `query($filter: CheckpointFilter) { checkpoints(filter: $filter, first: 100) { nodes { id title takenAt content } } }`;

/** Every session of a submodule, as the gateway returns them. */
async function sessionsOf(token: string, submodule: string): Promise<any[]> {
  const all: any[] = [];
  let after: string | null = null;
  do {
    const page: any = ok(await graphql(stack.gatewayUrl, SESSIONS, { filter: { submodules: [submodule] }, after }, token)).sessions;
    all.push(...page.nodes);
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  return all;
}

function titlesOf(nodes: Array<{ title: string }>): string[] {
  return nodes.map((n) => n.title).sort();
}

beforeAll(async () => {
  stack = await startTestStack();
  work = mkdtempSync(join(tmpdir(), 'memctx-import-'));
});
afterAll(async () => stack?.stop());

describe('memctx import', () => {
  let team: Connection;
  let folder: string;

  beforeAll(async () => {
    team = { token: await stack.token('import-team'), cachePath: join(work, 'team-cache', 'memory-cache.db') };
    folder = join(work, 'MEMORY-CONTEXT');
    writeSeedFolder(folder);
  });

  it('brings every well-formed item in once, redacted and audited, and reports the malformed ones', async () => {
    const { code, report, stderr } = await importJson(team, folder);
    expect(code).toBe(1); // completed, with failures listed
    expect(stderr).toContain('import: 1/');
    expect(report.counts).toEqual({
      session: { imported: EXPECTED.sessions.length, skipped: 0, failed: 5 },
      pattern: { imported: 1, skipped: 0, failed: 1 },
      checkpoint: { imported: EXPECTED.checkpoints.length, skipped: 0, failed: 1 },
    });
    expect(report.failures.map((f: { source: string; code: string }) => ({ source: f.source, code: f.code }))).toEqual(expect.arrayContaining(MALFORMED));
    expect(report.failures).toHaveLength(MALFORMED.length);
    expect(report.notImported).toEqual(expect.arrayContaining([expect.objectContaining({ source: 'memory-context.db#privacy_audit', count: 1 })]));
    expect(report.flush).toMatchObject({ remaining: 0, online: true });

    const sessions = await sessionsOf(team.token, 'import-team');
    expect(titlesOf(sessions)).toEqual([...EXPECTED.sessions].sort());
    const patterns = ok(await graphql(stack.gatewayUrl, PATTERNS, { filter: { submodules: ['import-team'] } }, team.token)).patterns.nodes;
    expect(patterns).toEqual([expect.objectContaining({ name: 'Retry flaky network calls', kind: 'SOLUTION', occurrences: 1, body: { steps: ['retry', 'back off'] } })]);
    const checkpoints = ok(await graphql(stack.gatewayUrl, CHECKPOINTS, { filter: { submodules: ['import-team'] } }, team.token)).checkpoints.nodes;
    expect(titlesOf(checkpoints)).toEqual([...EXPECTED.checkpoints].sort());
    expect(checkpoints.find((c: any) => c.title === 'Release 1.2 checkpoint').takenAt).toBe('2025-11-16T15:23:00.000Z');

    // The folder's privacy.config.json redacts contact data at TEAM (the default only masks it).
    const keys = sessions.find((s) => s.title === 'Rotate the quartz keys');
    const text = keys.content.map((m: { text: string }) => m.text).join('\n');
    expect(text).not.toContain(PLANTED.email);
    expect(text).not.toContain(PLANTED.openaiKey);
    expect(text).toContain('[REDACTED:email]');
    expect(text).toContain('[REDACTED:openai_key]');
    expect(keys.tags.sort()).toEqual(['keys', 'ops']);
    expect(keys.startedAt).toBe('2025-11-01T10:00:00.000Z');
    expect(sessions.find((s) => s.title === 'Private notes on caching').privacyLevel).toBe('PRIVATE');
    const restore = sessions.find((s) => s.title === '2025-11-16T1523-RESTORE-CONTEXT');
    expect(restore.content.length).toBeGreaterThan(100);
    expect(new Set(restore.content.map((m: { role: string }) => m.role))).toEqual(new Set(['system', 'user', 'assistant']));
    expect(sessions.find((s) => s.title === '2025-11-17-EXPORT-MEMORY-CONTEXT').content).toEqual([{ role: 'transcript', text: 'Plain export text without turns.\nSecond line.\n' }]);

    await stack.deps.audit.flush();
    const ids = [...sessions.map((s) => s.id), ...patterns.map((p: { id: string }) => p.id), ...checkpoints.map((c: { id: string }) => c.id)];
    const audited = await stack.deps.database.db
      .select({ resourceId: auditEvents.resourceId, action: auditEvents.action })
      .from(auditEvents)
      .where(and(inArray(auditEvents.resourceId, ids), inArray(auditEvents.action, ['session.create', 'pattern.create', 'checkpoint.create'])));
    expect(audited.map((a) => a.resourceId).sort()).toEqual([...ids].sort());
    expect(audited.filter((a) => a.action === 'session.create')).toHaveLength(EXPECTED.sessions.length);
  });

  it('creates nothing the second time: every item is skipped as already present', async () => {
    const { report } = await importJson(team, folder);
    expect(report.counts).toEqual({
      session: { imported: 0, skipped: EXPECTED.sessions.length, failed: 5 },
      pattern: { imported: 0, skipped: 1, failed: 1 },
      checkpoint: { imported: 0, skipped: EXPECTED.checkpoints.length, failed: 1 },
    });
    expect(titlesOf(await sessionsOf(team.token, 'import-team'))).toEqual([...EXPECTED.sessions].sort());
  });

  it('finds what is present on the server even with a fresh cache', async () => {
    const fresh = { ...team, cachePath: join(work, 'fresh-cache', 'memory-cache.db') };
    const { report } = await importJson(fresh, folder);
    expect(report.counts.session).toEqual({ imported: 0, skipped: EXPECTED.sessions.length, failed: 5 });
    expect(report.counts.checkpoint.imported).toBe(0);
    expect(titlesOf(await sessionsOf(team.token, 'import-team'))).toEqual([...EXPECTED.sessions].sort());
  });

  it('reads and checks with --dry-run, and writes nothing', async () => {
    const other = { token: await stack.token('import-dry'), cachePath: join(work, 'dry-cache', 'memory-cache.db') };
    const { report } = await importJson(other, folder, ['--dry-run']);
    expect(report).toMatchObject({ dryRun: true, flush: null, counts: { session: { imported: EXPECTED.sessions.length } } });
    expect(await sessionsOf(other.token, 'import-dry')).toEqual([]);
  });
});

describe('memctx import of a pattern the server merges', () => {
  it('counts it once, however often the import runs', async () => {
    const c = { token: await stack.token('import-merge'), cachePath: join(work, 'merge-cache', 'memory-cache.db') };
    const dir = join(work, 'merge');
    writeSeedFolder(dir);
    const RECORD = `mutation($input: RecordPatternInput!) { recordPattern(input: $input) { pattern { id occurrences } outcome } }`;
    const existing = ok(
      await graphql(stack.gatewayUrl, RECORD, { input: { kind: 'SOLUTION', name: 'Retry flaky network calls', body: { steps: ['retry', 'back off'] }, privacyLevel: 'TEAM' } }, c.token),
    ).recordPattern.pattern;
    const first = await importJson(c, dir);
    expect(first.report.counts.pattern).toEqual({ imported: 1, skipped: 0, failed: 1 });
    const second = await importJson(c, dir);
    expect(second.report.counts.pattern).toEqual({ imported: 0, skipped: 1, failed: 1 });
    // TEAM patterns merge across submodules, so the one above may already count earlier imports: compare with it.
    const after = ok(await graphql(stack.gatewayUrl, `query($id: ID!) { pattern(id: $id) { occurrences } }`, { id: existing.id }, c.token)).pattern;
    expect(after.occurrences).toBe(existing.occurrences + 1);
  });
});

describe('memctx import --submodule', () => {
  it('writes as another submodule with an admin token; without one each refused write is reported, and tried again next time', async () => {
    const dir = join(work, 'for-other');
    mkdirSync(join(dir, 'sessions'), { recursive: true });
    writeFileSync(join(dir, 'sessions', 'one.md'), '# For another team\n\nhello');
    const plain = { token: await stack.token('import-plain'), cachePath: join(work, 'plain-cache', 'memory-cache.db') };
    for (let run = 0; run < 2; run++) {
      const refused = await importJson(plain, dir, ['--submodule', 'import-other']);
      expect(refused.code).toBe(1);
      expect(refused.report.counts.session).toEqual({ imported: 0, skipped: 0, failed: 1 });
      expect(refused.report.failures).toEqual([expect.objectContaining({ source: 'sessions/one.md', code: 'REJECTED', reason: expect.stringContaining('FORBIDDEN') })]);
    }
    const admin = { token: await stack.token('import-admin', ['memory:read', 'memory:write', 'memory:admin']), cachePath: join(work, 'admin-cache', 'memory-cache.db') };
    const { code, report } = await importJson(admin, dir, ['--submodule', 'import-other']);
    expect(code).toBe(0);
    expect(report).toMatchObject({ submoduleId: 'import-other', counts: { session: { imported: 1, skipped: 0, failed: 0 } } });
    expect(titlesOf(await sessionsOf(admin.token, 'import-other'))).toEqual(['For another team']);
  });
});

describe('memctx import of a damaged folder', () => {
  it('reports a corrupt memory-context.db and still imports the rest', async () => {
    const c = { token: await stack.token('import-corrupt'), cachePath: join(work, 'corrupt-cache', 'memory-cache.db') };
    const dir = join(work, 'corrupt');
    mkdirSync(join(dir, 'sessions'), { recursive: true });
    writeFileSync(join(dir, 'memory-context.db'), Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4096, 0xab)]));
    writeFileSync(join(dir, 'sessions', 'ok.md'), '# Survivor\n\nStill here.\n');
    const { code, report } = await importJson(c, dir);
    expect(code).toBe(1);
    expect(report.failures).toEqual([expect.objectContaining({ kind: 'source', source: 'memory-context.db', code: 'NOT_A_DATABASE' })]);
    expect(report.counts.session).toEqual({ imported: 1, skipped: 0, failed: 0 });
    expect(titlesOf(await sessionsOf(c.token, 'import-corrupt'))).toEqual(['Survivor']);
  });

  it('stops at once with UNAUTHENTICATED when the gateway refuses the token', async () => {
    const forged = ['{"alg":"HS256","typ":"JWT"}', '{"sub":"import-forged","scope":"memory:read memory:write"}'].map((p) => Buffer.from(p).toString('base64url')).join('.') + '.c2lnbmF0dXJl';
    const c = { token: forged, cachePath: join(work, 'forged-cache', 'memory-cache.db') };
    const dir = join(work, 'forged');
    writeSeedFolder(dir, { exportBytes: 1000 });
    const result = await memctx(c, ['import', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('UNAUTHENTICATED');
    expect(result.stderr).not.toContain('import: 2/');
  });

  it('refuses a folder that does not exist, with a clear error', async () => {
    const c = { token: await stack.token('import-corrupt'), cachePath: join(work, 'corrupt-cache', 'memory-cache.db') };
    const result = await memctx(c, ['import', join(work, 'nowhere')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('BAD_USER_INPUT');
  });
});

describe('memctx import of an export larger than the server takes', () => {
  let small: TestStack;
  beforeAll(async () => {
    small = await startTestStack({ maxContentBytes: 64 * 1024 });
  });
  afterAll(async () => small?.stop());

  it('splits it into numbered sessions that together hold every character', async () => {
    const token = await small.token('import-split');
    const dir = join(work, 'split');
    mkdirSync(join(dir, 'exports'), { recursive: true });
    const text = Array.from({ length: 4000 }, (_, i) => `line ${i}: restored context, no speaker marks`).join('\n');
    writeFileSync(join(dir, 'exports', 'restore.txt'), text);
    const cachePath = join(work, 'split-cache', 'memory-cache.db');
    const result = await run(process.execPath, [BIN, 'import', dir, '--json'], {
      cwd: REPO,
      env: { ...process.env, MEMCTX_URL: small.gatewayUrl, MEMCTX_TOKEN: token, MEMCTX_CACHE_PATH: cachePath, MEMCTX_MAX_CONTENT_BYTES: String(64 * 1024) },
      maxBuffer: 64 * 1024 * 1024,
    }).catch((err: { stdout?: string; stderr?: string }) => ({ stdout: err.stdout ?? '', stderr: err.stderr ?? '' }));
    const report = JSON.parse(result.stdout);
    expect(report.failures).toEqual([]);
    expect(report.counts.session.imported).toBeGreaterThanOrEqual(3);
    const LIST = `query { sessions(filter: { submodules: ["import-split"] }, first: 100) { nodes { title content { role text } } } }`;
    const parts = ok(await graphql(small.gatewayUrl, LIST, {}, token)).sessions.nodes as Array<{ title: string; content: Array<{ role: string; text: string }> }>;
    const n = report.counts.session.imported;
    expect(parts.map((p) => p.title).sort()).toEqual(Array.from({ length: n }, (_, i) => `restore (part ${i + 1} of ${n})`).sort());
    const ordered = parts.sort((a, b) => Number(/part (\d+)/.exec(a.title)![1]) - Number(/part (\d+)/.exec(b.title)![1]));
    expect(ordered.flatMap((p) => p.content.map((m) => m.text)).join('')).toBe(text);
  });
});

describe('memctx import killed midway', () => {
  it('stores each item exactly once after a rerun', async () => {
    const c = { token: await stack.token('import-kill'), cachePath: join(work, 'kill-cache', 'memory-cache.db') };
    const dir = join(work, 'many');
    mkdirSync(join(dir, 'sessions'), { recursive: true });
    const titles = Array.from({ length: 250 }, (_, i) => `Imported note ${String(i).padStart(3, '0')}`);
    titles.forEach((t, i) => writeFileSync(join(dir, 'sessions', `note-${i}.json`), JSON.stringify({ title: t, messages: [{ role: 'user', text: `note ${i}` }] })));

    const child = spawn(process.execPath, [BIN, 'import', dir, '--json'], { cwd: REPO, env: env(c), stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<NodeJS.Signals | null>((done) => child.once('exit', (_code, signal) => done(signal)));
    await new Promise<void>((progressed) => {
      let seen = '';
      child.stderr.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        // Past the first chunk (100 items, written to the cache in one transaction): some items are queued, the rest not read yet.
        const shown = [...seen.matchAll(/import: (\d+)\//g)].map((m) => Number(m[1]));
        if (Math.max(0, ...shown) >= 100) progressed();
      });
      child.once('exit', () => progressed());
    });
    child.kill('SIGKILL');
    await exited;

    const { code, report } = await importJson(c, dir);
    expect(code).toBe(0);
    // The killed run had written at least 100 (its progress said so): the rerun finds them and writes the rest.
    expect(report.counts.session.skipped).toBeGreaterThanOrEqual(100);
    expect(report.counts.session.imported + report.counts.session.skipped).toBe(titles.length);
    expect(report.flush).toMatchObject({ remaining: 0 });
    expect(titlesOf(await sessionsOf(c.token, 'import-kill'))).toEqual(titles);
  });
});
