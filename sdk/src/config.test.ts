import { describe, expect, it } from 'vitest';
import { DEFAULT_CACHE_RELATIVE_PATH, resolveClientOptions } from './config.js';

describe('resolveClientOptions', () => {
  it('takes options over the environment over defaults (ARCHITECTURE §6 defaults)', () => {
    const resolved = resolveClientOptions({ maxSessions: 50 }, { MEMCTX_CACHE_MAX_SESSIONS: '10', MEMCTX_CACHE_MAX_PATTERNS: '20', MEMCTX_PUSH_ON_WRITE: 'false' });
    expect(resolved).toMatchObject({
      maxSessions: 50,
      maxPatterns: 20,
      maxAgeDays: 30,
      pullIntervalMs: 15 * 60 * 1000,
      pendingAlertThreshold: 100,
      pushOnWrite: false,
      cachePath: DEFAULT_CACHE_RELATIVE_PATH,
    });
  });

  it('names every bad option and its variable', () => {
    expect(() => resolveClientOptions({ url: 'not a url' }, { MEMCTX_PULL_PAGE_SIZE: '9000' })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS', message: expect.stringMatching(/url \(option\)[\s\S]*pageSize \(MEMCTX_PULL_PAGE_SIZE\)/) }),
    );
  });
});
