/**
 * The SDK as another repository gets it: `npm pack` (the build runs on prepack), installed from the tarball into an
 * empty project outside this repository, then used from plain JavaScript, from strict TypeScript (type-checked
 * against the shipped .d.ts under NodeNext and Bundler resolution) and through the installed `memctx` bin, all with
 * plain node, against the real embedded stack. Fails when the tarball misses a file, when the bin or the code needs
 * this repository (tsx, workspace packages, sources), or when the types do not resolve.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sessions } from '@memory-context/db';
import { installPackedSdk, REPO, runOk as ok, SDK_VERSION, startTestStack, type TestStack } from './src/index.js';

const FIXTURES = join(REPO, 'e2e/fixtures/sdk-consumer');
const TSC = join(REPO, 'node_modules/typescript/bin/tsc');
const SUBMODULE = 'sdk-package';

let work: string;
let project: string;
let tarball: string;

beforeAll(async () => {
  const typesNode = (JSON.parse(readFileSync(join(REPO, 'node_modules/@types/node/package.json'), 'utf8')) as { version: string }).version;
  ({ work, project, tarball } = await installPackedSdk({ prefix: 'memctx-sdk-package-', files: FIXTURES, extra: [`@types/node@${typesNode}`] }));
}, 600_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

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
