import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { fakeToken } from '../test-fixtures/fake-gateway.js';
import { createClient } from './client.js';
import { DEFAULT_CACHE_RELATIVE_PATH, resolveClientOptions } from './config.js';

function workdir(): string {
  return mkdtempSync(join(tmpdir(), 'memctx-config-'));
}

function writeJson(cwd: string, relative: string, content: unknown): string {
  const path = join(cwd, relative);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

/** The seed's example (§5.2.3), with a gateway URL for api_url. */
const SEED_FILE = {
  version: '1.0',
  cache_policy: { max_sessions: 200, max_patterns: 100, max_age_days: 7, eviction_policy: 'lru', sync_interval_minutes: 5, auto_sync_on_write: false },
  sync: { api_url: 'http://127.0.0.1:4000/graphql', retry_attempts: 5, retry_backoff_seconds: 2.5, offline_queue_enabled: false },
};

describe('resolveClientOptions', () => {
  it('takes options over the environment over defaults (ARCHITECTURE §6 defaults)', () => {
    const cwd = workdir();
    const resolved = resolveClientOptions({ maxSessions: 50 }, { MEMCTX_CACHE_MAX_SESSIONS: '10', MEMCTX_CACHE_MAX_PATTERNS: '20', MEMCTX_PUSH_ON_WRITE: 'false' }, cwd);
    expect(resolved).toMatchObject({
      maxSessions: 50,
      maxPatterns: 20,
      maxAgeDays: 30,
      pullIntervalMs: 15 * 60 * 1000,
      pendingAlertThreshold: 100,
      pushOnWrite: false,
      offlineQueue: true,
      retryAttempts: 3,
      evictionPolicy: 'lru',
      cachePath: join(cwd, DEFAULT_CACHE_RELATIVE_PATH),
      cacheConfigPath: undefined,
    });
  });

  it('names every bad option and its variable', () => {
    expect(() => resolveClientOptions({ url: 'not a url' }, { MEMCTX_PULL_PAGE_SIZE: '9000' }, workdir())).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS', message: expect.stringMatching(/url \(option\)[\s\S]*pageSize \(MEMCTX_PULL_PAGE_SIZE\)/) }),
    );
  });
});

describe('the default cache path', () => {
  it("is one file per submodule (the token's sub) under the shared cache folder, and the shared file without a token", () => {
    const cwd = workdir();
    const cache = join(cwd, '.coditect', 'MEMORY-CONTEXT', 'cache');
    expect(resolveClientOptions({ token: fakeToken('cloud-backend') }, {}, cwd).cachePath).toBe(join(cache, 'cloud-backend', 'memory-cache.db'));
    expect(resolveClientOptions({}, {}, cwd).cachePath).toBe(join(cache, 'memory-cache.db'));
    // A sub that is not a plain slug never names a path outside the cache folder.
    const odd = resolveClientOptions({ token: fakeToken('../../etc') }, {}, cwd).cachePath;
    expect(dirname(dirname(odd))).toBe(cache);
    expect(odd).toMatch(/sub-[0-9a-f]{16}/);
  });

  it('keeps an earlier shared memory-cache.db that belongs to the same submodule, and leaves another one alone', async () => {
    const cwd = workdir();
    const shared = join(cwd, DEFAULT_CACHE_RELATIVE_PATH);
    const old = createClient({ token: fakeToken('first'), cachePath: shared, pullIntervalMs: 0 });
    await old.close();
    expect(resolveClientOptions({ token: fakeToken('first') }, {}, cwd).cachePath).toBe(shared);
    expect(resolveClientOptions({ token: fakeToken('second') }, {}, cwd).cachePath).toBe(join(cwd, '.coditect', 'MEMORY-CONTEXT', 'cache', 'second', 'memory-cache.db'));
  });

  it('stays what an explicit cachePath or MEMCTX_CACHE_PATH says, relative to the working directory', () => {
    const cwd = workdir();
    expect(resolveClientOptions({ token: fakeToken('a'), cachePath: 'here.db' }, {}, cwd).cachePath).toBe(join(cwd, 'here.db'));
    expect(resolveClientOptions({ token: fakeToken('a') }, { MEMCTX_CACHE_PATH: '/tmp/x.db' }, cwd).cachePath).toBe('/tmp/x.db');
  });
});

describe('cache.config.json', () => {
  it("maps the seed's keys onto the options, from .coditect/MEMORY-CONTEXT/cache.config.json", () => {
    const cwd = workdir();
    const path = writeJson(cwd, '.coditect/MEMORY-CONTEXT/cache.config.json', SEED_FILE);
    expect(resolveClientOptions({}, {}, cwd)).toMatchObject({
      cacheConfigPath: path,
      maxSessions: 200,
      maxPatterns: 100,
      maxAgeDays: 7,
      evictionPolicy: 'lru',
      pullIntervalMs: 5 * 60_000,
      pushOnWrite: false,
      url: 'http://127.0.0.1:4000/graphql',
      retryAttempts: 5,
      backoffBaseMs: 2500,
      offlineQueue: false,
    });
  });

  it('is also read from the config/ folder (seed Appendix C), or from MEMCTX_CACHE_CONFIG', () => {
    const cwd = workdir();
    const path = writeJson(cwd, '.coditect/MEMORY-CONTEXT/config/cache.config.json', { version: '1.0', cache_policy: { max_sessions: 42 } });
    expect(resolveClientOptions({}, {}, cwd)).toMatchObject({ cacheConfigPath: path, maxSessions: 42, maxPatterns: 500 });
    const elsewhere = writeJson(workdir(), 'mine.json', { cache_policy: { max_sessions: 7 } });
    expect(resolveClientOptions({}, { MEMCTX_CACHE_CONFIG: elsewhere }, cwd)).toMatchObject({ cacheConfigPath: elsewhere, maxSessions: 7 });
  });

  it('loses to environment variables, which lose to options in code', () => {
    const cwd = workdir();
    writeJson(cwd, '.coditect/MEMORY-CONTEXT/cache.config.json', SEED_FILE);
    const resolved = resolveClientOptions({ maxSessions: 3, offlineQueue: true }, { MEMCTX_CACHE_MAX_SESSIONS: '30', MEMCTX_CACHE_MAX_PATTERNS: '40', MEMCTX_URL: 'http://gw.test/graphql' }, cwd);
    expect(resolved).toMatchObject({ maxSessions: 3, maxPatterns: 40, url: 'http://gw.test/graphql', offlineQueue: true, maxAgeDays: 7 });
  });

  it('stops on unknown keys, wrong types and values not implemented, naming each key and the fix', () => {
    const cwd = workdir();
    const path = writeJson(cwd, '.coditect/MEMORY-CONTEXT/cache.config.json', {
      version: '2.0',
      cache_policy: { max_sessions: '100', eviction_policy: 'lfu', max_sesions: 5 },
      sync: { offline_queue_enabled: 'yes', retry_attempts: -1 },
      chromadb: {},
    });
    let error: unknown;
    try {
      resolveClientOptions({}, {}, cwd);
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ code: 'INVALID_OPTIONS' });
    const message = (error as Error).message;
    expect(message).toContain(path);
    expect(message).toContain('version: this SDK reads version "1.x"');
    expect(message).toContain('cache_policy.max_sessions: expected a whole number above 0, such as 1000, got "100"');
    expect(message).toContain('cache_policy.eviction_policy: expected "lru" (the only policy implemented), got "lfu"');
    expect(message).toMatch(/cache_policy\.max_sesions: unknown key; remove it \(known keys: version, .*cache_policy\.max_sessions/);
    expect(message).toContain('sync.offline_queue_enabled: expected true or false, got "yes"');
    expect(message).toContain('sync.retry_attempts: expected a whole number, 0 or more');
    expect(message).toContain('chromadb: unknown key');
  });

  it('stops on a file that is not JSON, on two files, and on a MEMCTX_CACHE_CONFIG that does not exist', () => {
    const cwd = workdir();
    writeJson(cwd, '.coditect/MEMORY-CONTEXT/cache.config.json', '{ "version": "1.0", ');
    expect(() => resolveClientOptions({}, {}, cwd)).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS', message: expect.stringContaining('is not valid JSON') }));
    writeJson(cwd, '.coditect/MEMORY-CONTEXT/config/cache.config.json', {});
    expect(() => resolveClientOptions({}, {}, cwd)).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS', message: expect.stringContaining('Two cache.config.json files') }));
    expect(() => resolveClientOptions({}, { MEMCTX_CACHE_CONFIG: join(cwd, 'nope.json') }, cwd)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS', message: expect.stringContaining('nope.json does not exist') }),
    );
  });

  it('checks the environment against the options it maps to: eviction policies other than lru are refused', () => {
    expect(() => resolveClientOptions({}, { MEMCTX_CACHE_EVICTION_POLICY: 'lfu' }, workdir())).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS', message: expect.stringContaining('evictionPolicy (MEMCTX_CACHE_EVICTION_POLICY)') }),
    );
  });
});
