import { createHash } from 'node:crypto';
import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Principal } from '@memory-context/auth';
import type { Config } from '@memory-context/config';
import type { Logger } from '@memory-context/telemetry';

/** Counters run over fixed one-minute windows. */
const WINDOW_SECONDS = 60;

export interface RateLimiter {
  /** Counts one GraphQL request; throws a RATE_LIMITED GraphQL error (HTTP 429, Retry-After) when a limit is used up. */
  consume(principal: Principal, authorization: string): Promise<void>;
  /** Resolves once the first Redis connection is up or has failed (at once without Redis), so counting starts shared. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

type LimitConfig = Pick<
  Config,
  'rateLimitEnabled' | 'rateLimitTokenPerMinute' | 'rateLimitSubmodulePerMinute' | 'rateLimitAdminPerMinute' | 'rateLimitKeyPrefix' | 'redisUrl'
>;

/**
 * Per-token and per-submodule request limits (rate-limiter-flexible). With
 * MEMCTX_REDIS_URL the counters live in Redis, so every gateway instance
 * shares them; while Redis cannot be reached each instance falls back to an
 * in-memory limiter with the same limits (logged), rather than refusing or
 * letting everything through.
 */
export function createRateLimiter(config: LimitConfig, logger: Logger): RateLimiter | undefined {
  if (!config.rateLimitEnabled) return undefined;
  const redis = config.redisUrl ? connectRedis(config.redisUrl, logger) : undefined;
  const limiter = (name: string, points: number): RateLimiterAbstract => {
    const options = { keyPrefix: `${config.rateLimitKeyPrefix}:${name}`, points, duration: WINDOW_SECONDS };
    if (!redis) return new RateLimiterMemory(options);
    return new RateLimiterRedis({ ...options, storeClient: redis, rejectIfRedisNotReady: true, insuranceLimiter: new RateLimiterMemory(options) });
  };
  const normal = { token: limiter('token', config.rateLimitTokenPerMinute), submodule: limiter('submodule', config.rateLimitSubmodulePerMinute) };
  const admin = { token: limiter('admin-token', config.rateLimitAdminPerMinute), submodule: limiter('admin-submodule', config.rateLimitAdminPerMinute) };

  return {
    async consume(principal, authorization) {
      const limits = principal.admin ? admin : normal;
      try {
        await limits.token.consume(tokenKey(principal, authorization));
        await limits.submodule.consume(principal.submoduleId);
      } catch (error) {
        if (error instanceof RateLimiterRes) throw rateLimited(Math.max(1, Math.ceil(error.msBeforeNext / 1000)));
        throw error;
      }
    },
    async ready() {
      if (redis) await firstConnection(redis);
    },
    async close() {
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** The token's `jti` when it has one; else a digest of the token (the token itself never becomes a key). */
function tokenKey(principal: Principal, authorization: string): string {
  if (principal.tokenId) return `jti:${principal.tokenId}`;
  return `sha256:${createHash('sha256').update(authorization).digest('base64url')}`;
}

function rateLimited(retryAfter: number): GraphQLError {
  return new GraphQLError(`Too many requests: retry after ${retryAfter} s.`, {
    extensions: { code: 'RATE_LIMITED', retryAfter, http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfter)]]) } },
  });
}

/** Until Redis first answers, the insurance limiter would count alone; a gateway waits for that (bounded by connectTimeout). */
function firstConnection(redis: Redis): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      redis.off('ready', done);
      redis.off('error', done);
      resolve();
    };
    redis.once('ready', done);
    redis.once('error', done);
  });
}

/** Commands fail at once while disconnected (no offline queue), so the insurance limiter answers instead of a request waiting. */
function connectRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 });
  let healthy = true;
  redis.on('ready', () => {
    if (!healthy) logger.info('rate limits: Redis reachable again; counters shared across gateways');
    healthy = true;
  });
  redis.on('error', (error: Error) => {
    if (healthy) logger.warn({ err: { message: error.message } }, 'rate limits: Redis unreachable; each gateway counts in memory until it is back');
    healthy = false;
  });
  return redis;
}
