import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { resolveClientOptions } from '../config.js';
import { isSdkError } from '../errors.js';
import { CliContext, type GlobalFlags } from './context.js';
import { writeCredentials } from './credentials.js';
import { Output } from './output.js';

/** An unsigned JWT: the SDK reads `sub` without verifying it (the gateway does). */
const tokenFor = (sub: string) => `x.${Buffer.from(JSON.stringify({ sub })).toString('base64url')}.y`;

/** A checkout whose .coditect is a symlink to a shared framework folder, as in the seed. */
function seedCheckouts(config?: object): { framework: string; a: string; b: string } {
  const root = mkdtempSync(join(tmpdir(), 'memctx-context-'));
  const framework = join(root, 'framework');
  mkdirSync(join(framework, 'MEMORY-CONTEXT'), { recursive: true });
  if (config) writeFileSync(join(framework, 'MEMORY-CONTEXT', 'cache.config.json'), JSON.stringify(config));
  const [a, b] = ['a', 'b'].map((who) => {
    const checkout = join(root, who);
    mkdirSync(checkout);
    symlinkSync(framework, join(checkout, '.coditect'), 'dir');
    return checkout;
  }) as [string, string];
  return { framework, a, b };
}

function context(flags: GlobalFlags, cwd: string, env: NodeJS.ProcessEnv = {}) {
  const stderr = new PassThrough();
  let warnings = '';
  stderr.on('data', (chunk: Buffer) => (warnings += chunk.toString()));
  return { ctx: new CliContext(flags, cwd, env, new Output(false, new PassThrough(), stderr)), warnings: () => warnings };
}

describe('CliContext', () => {
  it('resolves exactly as createClient does: per-submodule cache, cache.config.json settings', () => {
    const { a } = seedCheckouts({ version: '1.0', sync: { api_url: 'http://gateway.test/graphql', retry_attempts: 7 } });
    const env = { MEMCTX_TOKEN: tokenFor('cloud-a') };
    const options = context({}, a, env).ctx.options();
    expect(options).toEqual(resolveClientOptions({}, env, a));
    expect(options).toMatchObject({
      url: 'http://gateway.test/graphql',
      retryAttempts: 7,
      cachePath: join(a, '.coditect', 'MEMORY-CONTEXT', 'cache', 'cloud-a', 'memory-cache.db'),
      cacheConfigPath: join(a, '.coditect', 'MEMORY-CONTEXT', 'cache.config.json'),
    });
  });

  it('takes the URL and token from flags, then the environment, then the checkout’s login, then cache.config.json', () => {
    const { a } = seedCheckouts({ version: '1.0', sync: { api_url: 'http://file.test/graphql' } });
    expect(context({}, a).ctx.options()).toMatchObject({ url: 'http://file.test/graphql', token: undefined });
    const login = writeCredentials(a, { url: 'http://login.test/graphql', token: tokenFor('from-login') });
    const logged = context({}, a).ctx;
    expect(logged.options()).toMatchObject({ url: 'http://login.test/graphql', token: tokenFor('from-login') });
    expect(logged.loginUsed).toBe(login);
    const env = { MEMCTX_URL: 'http://env.test/graphql', MEMCTX_TOKEN: tokenFor('from-env') };
    const fromEnv = context({}, a, env).ctx;
    expect(fromEnv.options()).toMatchObject({ url: 'http://env.test/graphql', token: tokenFor('from-env') });
    expect(fromEnv.loginUsed).toBeUndefined();
    const flags = { url: 'http://flag.test/graphql', token: tokenFor('from-flag'), cache: 'my.db' };
    expect(context(flags, a, env).ctx.options()).toMatchObject({ url: 'http://flag.test/graphql', token: tokenFor('from-flag'), cachePath: join(a, 'my.db') });
  });

  it('keeps one checkout’s login out of the shared folder and away from the other checkout', () => {
    const { framework, a, b } = seedCheckouts();
    const file = writeCredentials(a, { url: 'http://login.test/graphql', token: tokenFor('cloud-a') });
    expect(file).toBe(join(a, '.memctx', 'credentials.json'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(a, '.memctx', '.gitignore'), 'utf8')).toMatch(/^\*$/m);
    expect(context({}, a).ctx.options().cachePath).toBe(join(a, '.coditect', 'MEMORY-CONTEXT', 'cache', 'cloud-a', 'memory-cache.db'));
    expect(context({}, b).ctx.options()).toMatchObject({ token: undefined, cachePath: join(b, '.coditect', 'MEMORY-CONTEXT', 'cache', 'memory-cache.db') });
    expect(readdirSync(join(framework, 'MEMORY-CONTEXT'))).toEqual([]);
  });

  it('still reads a login stored beside the cache by an earlier memctx, and warns', () => {
    const { a } = seedCheckouts();
    const legacy = join(a, '.coditect', 'MEMORY-CONTEXT', 'cache', 'credentials.json');
    mkdirSync(join(a, '.coditect', 'MEMORY-CONTEXT', 'cache'));
    writeFileSync(legacy, JSON.stringify({ url: 'http://old.test/graphql', token: tokenFor('old') }));
    const { ctx, warnings } = context({}, a);
    expect(ctx.options()).toMatchObject({ url: 'http://old.test/graphql', token: tokenFor('old') });
    expect(ctx.credentials()).toMatchObject({ file: legacy, legacy: true });
    expect(warnings()).toContain('LEGACY_CREDENTIALS');
    // The checkout's own login wins over it.
    writeCredentials(a, { url: 'http://new.test/graphql', token: tokenFor('new') });
    const fresh = context({}, a);
    expect(fresh.ctx.options()).toMatchObject({ url: 'http://new.test/graphql', token: tokenFor('new') });
    expect(fresh.warnings()).toBe('');
  });

  it('throws INVALID_OPTIONS naming the key for a bad cache.config.json', () => {
    const { a } = seedCheckouts({ version: '1.0', sync: { api_urll: 'http://x.test/graphql' } });
    let thrown: unknown;
    try {
      context({}, a).ctx.options();
    } catch (err) {
      thrown = err;
    }
    expect(isSdkError(thrown) && thrown.code).toBe('INVALID_OPTIONS');
    expect((thrown as Error).message).toContain('sync.api_urll');
  });
});
