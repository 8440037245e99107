/**
 * The SDK as another repository gets it: `npm pack` (the build runs on prepack), installed from the tarball into an
 * empty project outside this repository, then used from plain JavaScript, from strict TypeScript (type-checked
 * against the shipped .d.ts under NodeNext and Bundler resolution) and through the installed `memctx` bin, all with
 * plain node, against the real embedded stack. Fails when the tarball misses a file, when the bin or the code needs
 * this repository (tsx, workspace packages, sources), or when the types do not resolve.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sessions } from '@memory-context/db';
import { startTestStack, type TestStack } from './src/index.js';

const REPO = resolve(import.meta.dirname, '..');
const FIXTURES = join(REPO, 'e2e/fixtures/sdk-consumer');
const SDK_VERSION = (JSON.parse(readFileSync(join(REPO, 'sdk/package.json'), 'utf8')) as { version: string }).version;
const TSC = join(REPO, 'node_modules/typescript/bin/tsc');
const SUBMODULE = 'sdk-package';

// Children get a clean environment: no NODE_OPTIONS (it could carry this repository's source condition) and no npm
// settings from a surrounding `npm test`, which would point the nested npm at this repository.
const BASE_ENV = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => key !== 'NODE_OPTIONS' && (!key.startsWith('npm_') || key === 'npm_config_cache' || key === 'npm_config_registry')),
) as Record<string, string>;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function exec(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((done) => {
    execFile(command, args, { cwd, env: { ...BASE_ENV, ...env }, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

async function ok(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<string> {
  const result = await exec(command, args, cwd, env);
  expect(result.code, `${command} ${args.join(' ')}\n${result.stderr}\n${result.stdout}`).toBe(0);
  return result.stdout;
}

let work: string;
let project: string;
let tarball: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'memctx-sdk-package-'));
  project = join(work, 'consumer');
  expect(relative(REPO, project).startsWith('..'), 'the consumer project lies outside the repository').toBe(true);

  await ok('npm', ['pack', '-w', '@memory-context/sdk', '--pack-destination', work], REPO);
  const packed = readdirSync(work).filter((f) => f.endsWith('.tgz'));
  expect(packed).toEqual([`memory-context-sdk-${SDK_VERSION}.tgz`]);
  tarball = join(work, packed[0]!);

  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'sdk-consumer', private: true, type: 'module' }, null, 2));
  cpSync(FIXTURES, project, { recursive: true });
  // Every dependency is in the local npm cache; the registry is asked only for what is not. Install scripts are
  // skipped: the one that matters, better-sqlite3's native build, takes minutes from source (its prebuilt binaries
  // come from GitHub), and is the same build this repository already has, copied below.
  const typesNode = (JSON.parse(readFileSync(join(REPO, 'node_modules/@types/node/package.json'), 'utf8')) as { version: string }).version;
  await ok('npm', ['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', tarball, `@types/node@${typesNode}`], project);
  provideSqliteAddon(project);
  await ok('npm', ['ls', '--all'], project);
}, 600_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** better-sqlite3's compiled addon: this repository's build when the versions match, else built in the project. */
function provideSqliteAddon(dir: string): void {
  const version = (pkg: string) => (JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { version: string }).version;
  const ours = join(REPO, 'node_modules/better-sqlite3');
  const theirs = join(dir, 'node_modules/better-sqlite3');
  expect(version(theirs), 'the SDK depends on the better-sqlite3 this repository builds').toBe(version(ours));
  mkdirSync(join(theirs, 'build/Release'), { recursive: true });
  copyFileSync(join(ours, 'build/Release/better_sqlite3.node'), join(theirs, 'build/Release/better_sqlite3.node'));
}

describe('the packed @memory-context/sdk', () => {
  it('holds the built ESM, the bundled types and the bin, and no sources', async () => {
    const files = (await ok('tar', ['-tzf', tarball], work)).split('\n').filter(Boolean).sort();
    expect(files).toEqual(expect.arrayContaining(['package/package.json', 'package/README.md', 'package/bin/memctx.js', 'package/dist/index.js', 'package/dist/index.d.ts', 'package/dist/cli.js']));
    expect(files.filter((f) => f.startsWith('package/src/') || f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);

    const installed = join(project, 'node_modules/@memory-context/sdk');
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { private?: boolean; dependencies: Record<string, string> };
    expect(manifest.private).toBeUndefined();
    expect(Object.keys(manifest.dependencies).filter((d) => d.startsWith('@memory-context/'))).toEqual([]);
    // Nothing from this repository is reachable: no workspace libs, no tsx.
    expect(existsSync(join(project, 'node_modules/@memory-context/privacy'))).toBe(false);
    expect(existsSync(join(project, 'node_modules/tsx'))).toBe(false);
  });

  it('type-checks a strict TypeScript consumer against the shipped types, under NodeNext and Bundler', async () => {
    await ok(process.execPath, [TSC, '-p', 'tsconfig.bundler.json'], project);
    await ok(process.execPath, [TSC, '-p', 'tsconfig.nodenext.json'], project);
    expect(existsSync(join(project, 'out/consumer.js'))).toBe(true);
  }, 300_000);

  it('installs a memctx bin that runs with plain node and knows its version', async () => {
    const bin = join(project, 'node_modules/.bin/memctx');
    expect((await ok(process.execPath, [bin, '--version'], project)).trim()).toBe(SDK_VERSION);
    expect(await ok(process.execPath, [bin, '--help'], project)).toContain('status');
  });
});

describe('a consumer project against the embedded stack', () => {
  let stack: TestStack;
  let token: string;

  beforeAll(async () => {
    stack = await startTestStack();
    token = await stack.token(SUBMODULE);
  });
  afterAll(async () => stack?.stop());

  const serverIds = async () =>
    (
      await stack.deps.database.db
        .select({ id: sessions.id })
        .from(sessions)
        .where(and(eq(sessions.submoduleId, SUBMODULE), isNull(sessions.deletedAt)))
    ).map((r) => r.id);

  /** Runs a consumer with plain node: a session queued while the gateway is down, then synced and read back. */
  async function offlineThenOnline(script: string, cache: string) {
    const env = { MEMCTX_URL: stack.gatewayUrl, MEMCTX_TOKEN: token, MEMCTX_CACHE_PATH: join(work, cache) };
    await stack.stopGateway();
    let offline;
    try {
      offline = JSON.parse(await ok(process.execPath, [script, 'offline'], project, env));
    } finally {
      await stack.startGateway();
    }
    const id = offline.session.id as string;
    expect(offline.status).toMatchObject({ pending: 1, submoduleId: SUBMODULE });
    // Redacted with the privacy rules that travel inside the package.
    expect(offline.session.content[0].text).toContain('o***@example.com');
    expect(await serverIds()).not.toContain(id);

    const online = JSON.parse(await ok(process.execPath, [script, 'online', id], project, env));
    expect(online.sync.pushed).toMatchObject({ sent: 1, remaining: 0, rejected: 0, conflicts: 0 });
    expect(online.read).toMatchObject({ source: 'network', data: { id, title: offline.session.title } });
    expect(online.search.hits.map((h: { id: string }) => h.id)).toContain(id);
    expect(online.status).toMatchObject({ pending: 0, online: true });
    expect(await serverIds()).toContain(id);
    return { id, env };
  }

  it('plain JavaScript (.mjs): creates offline, syncs, reads back and searches', async () => {
    const { env } = await offlineThenOnline('consumer.mjs', 'js-cache.db');

    // The installed bin over the same cache: nothing left to send, the gateway answers.
    const status = JSON.parse(await ok(process.execPath, [join(project, 'node_modules/.bin/memctx'), 'status', '--json'], project, env));
    expect(status).toMatchObject({ pending: 0, rejected: 0, conflicts: 0, online: true, submoduleId: SUBMODULE, cachePath: env.MEMCTX_CACHE_PATH });
  });

  it('compiled strict TypeScript: creates offline, syncs, reads back and searches', async () => {
    expect(existsSync(join(project, 'out/consumer.js')), 'compiled by the type-check test').toBe(true);
    await offlineThenOnline('out/consumer.js', 'ts-cache.db');
  });
});
