import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig, subgraphUrl } from './index.js';

describe('loadConfig', () => {
  it('gives defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config.gatewayPort).toBe(4000);
    expect(config.sessionsPort).toBe(4001);
    expect(config.searchPort).toBe(4004);
    expect(config.dataDir).toBe('./.memctx');
    expect(config.maxContentBytes).toBe(5 * 1024 * 1024);
    expect(config.databaseUrl).toBeUndefined();
    expect(subgraphUrl(config, 'sessions')).toBe('http://127.0.0.1:4001/graphql');
  });

  it('derives subgraph ports from the gateway port unless set', () => {
    const config = loadConfig({ MEMCTX_GATEWAY_PORT: '5000', MEMCTX_PATTERNS_PORT: '6000' });
    expect(config.sessionsPort).toBe(5001);
    expect(config.patternsPort).toBe(6000);
  });

  it('reports every wrong variable with its name and a fix', () => {
    try {
      loadConfig({ MEMCTX_GATEWAY_PORT: 'abc', MEMCTX_DATABASE_URL: 'mysql://x', MEMCTX_JWT_SECRET: 'short' });
      throw new Error('loadConfig accepted three wrong variables');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toContain('MEMCTX_GATEWAY_PORT');
      expect(message).toContain('MEMCTX_DATABASE_URL');
      expect(message).toContain('MEMCTX_JWT_SECRET');
      expect((error as ConfigError).problems).toHaveLength(3);
    }
  });

  it('refuses production without a shared token key', () => {
    expect(() => loadConfig({ MEMCTX_ENV: 'production' })).toThrow(/MEMCTX_JWKS_URL/);
    expect(loadConfig({ MEMCTX_ENV: 'production', MEMCTX_JWT_SECRET: 'k'.repeat(40) }).env).toBe('production');
  });

  it('refuses a body limit smaller than the content limit', () => {
    expect(() => loadConfig({ MEMCTX_MAX_BODY_BYTES: '1000', MEMCTX_MAX_CONTENT_BYTES: '2000' })).toThrow(/MEMCTX_MAX_BODY_BYTES/);
  });

  it('reads the retention options, and keeps tombstones at least as long as superseded changes', () => {
    expect(loadConfig({ MEMCTX_DATA_DIR: '/var/memctx' })).toMatchObject({
      feedRetentionSeconds: 604800,
      feedTombstoneRetentionSeconds: 2592000,
      auditRetentionSeconds: 7 * 365 * 86400,
      auditArchiveDir: '/var/memctx/audit-archive',
    });
    expect(() => loadConfig({ MEMCTX_FEED_RETENTION_SECONDS: '600', MEMCTX_FEED_TOMBSTONE_RETENTION_SECONDS: '60' })).toThrow(
      /MEMCTX_FEED_TOMBSTONE_RETENTION_SECONDS must be at least MEMCTX_FEED_RETENTION_SECONDS/,
    );
  });

  it('parses algorithm lists and booleans', () => {
    const config = loadConfig({ MEMCTX_JWT_ALGORITHMS: 'ES256, RS256', MEMCTX_SANDBOX: 'false' });
    expect(config.jwtAlgorithms).toEqual(['ES256', 'RS256']);
    expect(config.sandbox).toBe(false);
    expect(() => loadConfig({ MEMCTX_JWT_ALGORITHMS: 'none' })).toThrow(/MEMCTX_JWT_ALGORITHMS/);
  });

  it('reads the rate limits and Redis URL, and keeps the admin limit the highest', () => {
    const config = loadConfig({ MEMCTX_RATE_LIMIT_TOKEN_PER_MINUTE: '10', MEMCTX_REDIS_URL: 'redis://cache:6379' });
    expect(config).toMatchObject({ rateLimitEnabled: true, rateLimitTokenPerMinute: 10, rateLimitSubmodulePerMinute: 12000, rateLimitAdminPerMinute: 60000, redisUrl: 'redis://cache:6379' });
    expect(loadConfig({}).redisUrl).toBeUndefined();
    expect(loadConfig({ MEMCTX_RATE_LIMIT_ENABLED: 'false' }).rateLimitEnabled).toBe(false);
    expect(() => loadConfig({ MEMCTX_REDIS_URL: 'http://cache:6379' })).toThrow(/MEMCTX_REDIS_URL/);
    expect(() => loadConfig({ MEMCTX_RATE_LIMIT_ADMIN_PER_MINUTE: '5' })).toThrow(/MEMCTX_RATE_LIMIT_ADMIN_PER_MINUTE must be at least/);
  });
});
