import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from '@memory-context/config';
import { migrateDatabase, openDatabase, type Database } from '@memory-context/db';
import { exportSnapshot, restoreSnapshot, type SnapshotHeader } from '@memory-context/db/snapshot';
import { createTestDatabase, type TestDatabase } from '@memory-context/db/testing';
import { listenForBackupRequests, startStack, type Stack } from '@memory-context/embedded';
import { codes, CREATE_SESSION, DELETE_SESSION, GET_SESSION, graphql, ok, TEST_SECRET } from './src/index.js';

const root = join(import.meta.dirname, '..');
const RECORD = `mutation Record($input: RecordPatternInput!) { recordPattern(input: $input) { pattern { id } } }`;
const GET_PATTERN = `query Get($id: ID!) { pattern(id: $id) { id name body tags sourceSessions { id } } }`;
const CREATE_CHECKPOINT = `mutation Create($input: CreateCheckpointInput!) { createCheckpoint(input: $input) { id } }`;
const GET_CHECKPOINT = `query Get($id: ID!) { checkpoint(id: $id) { id title content sessions { id } } }`;
const SEARCH = `query Search($query: String!) { search(query: $query, limit: 10) { hits { kind entity { ... on Session { id } ... on Pattern { id } ... on Checkpoint { id } } } } }`;
const QUERY = 'OAuth callback signature';

const dir = mkdtempSync(join(tmpdir(), 'memctx-backup-e2e-'));
const closers: Array<() => Promise<void>> = [];

function config(env: Record<string, string> = {}) {
  return loadConfig({ MEMCTX_DATA_DIR: join(dir, 'unused'), MEMCTX_JWT_SECRET: TEST_SECRET, MEMCTX_LOG_LEVEL: 'silent', ...env });
}

/** A migrated in-memory PGlite, whatever MEMCTX_DATABASE_URL says. */
async function pglite(): Promise<Database> {
  const database = await openDatabase({ databaseUrl: undefined, dataDir: '', inMemory: true });
  await migrateDatabase(database);
  closers.push(() => database.close());
  return database;
}

async function stackOn(database: Database): Promise<Stack> {
  const stack = await startStack({ config: config(), database, ephemeralPorts: true });
  closers.push(() => stack.stop());
  return stack;
}

/** Writes sessions (one PRIVATE, one deleted under GDPR), a pattern, a checkpoint; the audit trail follows. */
async function seed(stack: Stack) {
  const token = await stack.token('backup-a');
  const create = async (input: Record<string, unknown>) => ok(await graphql(stack.gatewayUrl, CREATE_SESSION, { input }, token)).createSession.id as string;
  const team = await create({ idempotencyKey: 'backup-session-0001', privacyLevel: 'TEAM', title: 'OAuth callback rejected after provider upgrade', tags: ['sso'], content: [{ role: 'user', text: 'Token signature validation fails since the keys rotated.' }] });
  const secret = await create({ privacyLevel: 'PRIVATE', title: 'Private OAuth notes', content: [{ role: 'user', text: 'Only we see the callback secret handling.' }] });
  const gone = await create({ privacyLevel: 'TEAM', title: 'To be forgotten' });
  ok(await graphql(stack.gatewayUrl, DELETE_SESSION, { id: gone, gdpr: true, reason: 'Art. 17' }, token));
  const pattern = ok(await graphql(stack.gatewayUrl, RECORD, { input: { kind: 'ERROR_FIX', name: 'Refresh JWKS after key rotation', body: { steps: ['clear cache', 'refetch'] }, tags: ['sso'], privacyLevel: 'TEAM', sourceSessionIds: [team], idempotencyKey: 'backup-pattern-0001' } }, token)).recordPattern.pattern.id as string;
  const checkpoint = ok(await graphql(stack.gatewayUrl, CREATE_CHECKPOINT, { input: { privacyLevel: 'TEAM', title: 'SSO fixed', content: 'state of things', sessionIds: [team, secret] } }, token)).createCheckpoint.id as string;
  return { token, team, secret, gone, pattern, checkpoint };
}
type Seeded = Awaited<ReturnType<typeof seed>>;

/** What an agent sees of the seeded entities, and the ids a fixed search returns. */
async function observe(stack: Stack, seeded: Seeded) {
  await stack.search.indexer.catchUp();
  const read = async (query: string, id: string) => ok(await graphql(stack.gatewayUrl, query, { id }, seeded.token));
  return {
    team: (await read(GET_SESSION, seeded.team)).session,
    secret: (await read(GET_SESSION, seeded.secret)).session,
    gone: codes(await graphql(stack.gatewayUrl, GET_SESSION, { id: seeded.gone }, seeded.token)),
    pattern: (await read(GET_PATTERN, seeded.pattern)).pattern,
    checkpoint: (await read(GET_CHECKPOINT, seeded.checkpoint)).checkpoint,
    search: ok(await graphql(stack.gatewayUrl, SEARCH, { query: QUERY }, seeded.token)).search.hits.map((h: { kind: string; entity: { id: string } }) => `${h.kind}:${h.entity.id}`),
  };
}

function runScript(script: string, args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('npm', ['run', '-s', script, '--', ...args], { cwd: root, env: { ...process.env, MEMCTX_JWT_SECRET: TEST_SECRET, MEMCTX_LOG_LEVEL: 'silent', ...env }, timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

let source: Stack;
let seeded: Seeded;
let seen: Awaited<ReturnType<typeof observe>>;
let file: string;
let header: SnapshotHeader;

beforeAll(async () => {
  source = await stackOn(await pglite());
  seeded = await seed(source);
  seen = await observe(source, seeded);
  file = join(dir, 'pglite.jsonl.gz');
  header = await exportSnapshot(source.deps.database, file);
});

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
});

describe('export and restore', () => {
  it('the seed reaches every kind of table the export holds', () => {
    expect(seen.secret.privacyLevel).toBe('PRIVATE');
    expect(seen.gone).toEqual(['NOT_FOUND']);
    expect(seen.search.length).toBeGreaterThan(0);
    const rows = Object.fromEntries(header.tables.map((t) => [t.name, t.rows]));
    for (const table of ['sessions.sessions', 'sessions.archive', 'sessions.changes', 'sessions.mutations', 'patterns.patterns', 'patterns.sources', 'checkpoints.checkpoints', 'checkpoints.sessions', 'audit.events']) {
      expect(rows[table], table).toBeGreaterThan(0);
    }
  });

  it('PGlite → PGlite: same counts, same checksums, same reads and search results after the index is rebuilt', async () => {
    const target = await pglite();
    await restoreSnapshot(target, file);
    expect((await exportSnapshot(target, join(dir, 'pglite-again.jsonl.gz'))).tables).toEqual(header.tables);
    expect(await observe(await stackOn(target), seeded)).toEqual(seen);
  });

  (process.env.MEMCTX_DATABASE_URL ? it : it.skip)('PGlite → Postgres → PGlite: same counts, checksums, reads and search results', async () => {
    const postgres: TestDatabase = await createTestDatabase();
    closers.push(() => postgres.close());
    await restoreSnapshot(postgres.database, file);
    const fromPostgres = join(dir, 'postgres.jsonl.gz');
    expect((await exportSnapshot(postgres.database, fromPostgres)).tables).toEqual(header.tables);
    expect(await observe(await stackOn(postgres.database), seeded)).toEqual(seen);

    const back = await pglite();
    await restoreSnapshot(back, fromPostgres);
    expect((await exportSnapshot(back, join(dir, 'back.jsonl.gz'))).tables).toEqual(header.tables);
  });
});

describe('npm run restore refuses, with a code and a non-zero exit', () => {
  let filled: string;
  beforeAll(async () => {
    filled = join(dir, 'filled');
    const restored = await runScript('restore', [file], { MEMCTX_DATA_DIR: filled, MEMCTX_DATABASE_URL: '' });
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(/counts and checksums verified/);
  });

  it('a database that already holds data', async () => {
    const again = await runScript('restore', [file], { MEMCTX_DATA_DIR: filled, MEMCTX_DATABASE_URL: '' });
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/^RESTORE_TARGET_NOT_EMPTY: /);
  });

  it('a snapshot of an unknown version, and a truncated file, leaving the target empty', async () => {
    const lines = gunzipSync(readFileSync(file)).toString('utf8').split('\n');
    lines[0] = JSON.stringify({ ...JSON.parse(lines[0]!), version: 2 });
    const future = join(dir, 'future.jsonl.gz');
    writeFileSync(future, gzipSync(lines.join('\n')));
    const cut = join(dir, 'cut.jsonl.gz');
    const bytes = readFileSync(file);
    writeFileSync(cut, bytes.subarray(0, bytes.length - 20));
    const empty = join(dir, 'empty');
    const unknown = await runScript('restore', [future], { MEMCTX_DATA_DIR: empty, MEMCTX_DATABASE_URL: '' });
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/^SNAPSHOT_UNKNOWN_VERSION: /);
    const truncated = await runScript('restore', [cut], { MEMCTX_DATA_DIR: empty, MEMCTX_DATABASE_URL: '' });
    expect(truncated.code).not.toBe(0);
    expect(truncated.stderr).toMatch(/^SNAPSHOT_CORRUPT: /);
    // Nothing was half restored: the intact file still goes in.
    const restored = await runScript('restore', [file], { MEMCTX_DATA_DIR: empty, MEMCTX_DATABASE_URL: '' });
    expect(restored.code).toBe(0);
  });
});

describe('backups of the embedded stack', () => {
  it('npm run backup asks the running stack; after the data directory is lost, the backup brings every entity back', async () => {
    const dataDir = join(dir, 'data');
    const backupDir = join(dir, 'backups');
    const env = { MEMCTX_DATA_DIR: dataDir, MEMCTX_BACKUP_DIR: backupDir, MEMCTX_DATABASE_URL: '' };
    const stack = await startStack({ config: config(env), ephemeralPorts: true });
    let stopped = false;
    closers.push(async () => void (stopped || (await stack.stop())));
    const mine = await seed(stack);
    const before = await observe(stack, mine);
    const stopListening = listenForBackupRequests(stack.backup!, backupDir);
    const backup = await runScript('backup', [], env);
    stopListening();
    expect(backup.stderr).toMatch(/asking it for the backup/);
    expect(backup.code).toBe(0);
    const backupFile = /Backup written to (.+)$/m.exec(backup.stdout)?.[1];
    expect(backupFile).toMatch(/memctx-backup-\d{8}T\d{9}Z\.jsonl\.gz$/);
    await stack.stop();
    stopped = true;

    rmSync(dataDir, { recursive: true, force: true });
    const freshDir = join(dir, 'fresh');
    const restored = await runScript('restore', [backupFile!], { ...env, MEMCTX_DATA_DIR: freshDir });
    expect(restored.code).toBe(0);
    const back = await startStack({ config: config({ ...env, MEMCTX_DATA_DIR: freshDir, MEMCTX_BACKUP_INTERVAL: '0' }), ephemeralPorts: true });
    closers.push(() => back.stop());
    expect(await observe(back, mine)).toEqual(before);
  });
});
