import { resolve } from 'node:path';
import { accessReasonProblem, MAX_CHANGE_PAGE } from '@memory-context/protocol';
import { z } from 'zod';
import { findCacheConfigFile, readCacheConfigFile, type FileKeySpec } from './cache-config-file.js';
import { DEFAULT_CACHE_RELATIVE_PATH, defaultCachePath } from './cache-location.js';
import { SdkError } from './errors.js';
import { readTokenClaims } from './token-claims.js';

export { DEFAULT_CACHE_RELATIVE_PATH } from './cache-location.js';

/**
 * Every client option: its type, default, one-line description, the
 * environment variable it falls back to and, for the seed's settings, its key
 * in cache.config.json. Validated in one place (resolveClientOptions);
 * docs/sdk.md lists the same table.
 */
interface OptionSpec<T> {
  env: string;
  schema: z.ZodType<T>;
  default: T;
  description: string;
  file?: FileKeySpec;
}

const positiveInt = z.coerce.number().int().positive();
const nonNegativeInt = z.coerce.number().int().min(0);
const bool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes')]);

function option<T>(spec: OptionSpec<T>): OptionSpec<T> {
  return spec;
}

/** cache.config.json holds JSON values: numbers and booleans as such, never as strings. */
const fileKey = (key: string, schema: z.ZodType<unknown>, expected: string): FileKeySpec => ({ key, schema, expected });
const filePositiveInt = z.number().int().positive();
const fileMinutes = z
  .number()
  .min(0)
  .transform((m) => Math.round(m * 60_000));

export const CLIENT_OPTIONS = {
  url: option<string | undefined>({
    env: 'MEMCTX_URL',
    schema: z.string().url().optional(),
    default: undefined,
    description: 'Gateway GraphQL endpoint, such as http://127.0.0.1:4000/graphql. Unset: the client works from its cache alone.',
    file: fileKey('sync.api_url', z.string().url(), 'the gateway GraphQL URL, such as "http://127.0.0.1:4000/graphql"'),
  }),
  token: option<string | undefined>({
    env: 'MEMCTX_TOKEN',
    schema: z.string().min(1).optional(),
    default: undefined,
    description: 'Bearer token (JWT); its `sub` is the submodule the client writes as.',
  }),
  cachePath: option({
    env: 'MEMCTX_CACHE_PATH',
    schema: z.string().min(1),
    default: DEFAULT_CACHE_RELATIVE_PATH,
    description:
      "SQLite cache file, relative to the working directory unless absolute. Default: `.coditect/MEMORY-CONTEXT/cache/<token's sub>/memory-cache.db` (`…/cache/memory-cache.db` without a token).",
  }),
  cacheConfigPath: option<string | undefined>({
    env: 'MEMCTX_CACHE_CONFIG',
    schema: z.string().min(1).optional(),
    default: undefined,
    description: "The seed's cache.config.json. Unset: `.coditect/MEMORY-CONTEXT/cache.config.json` or `.coditect/MEMORY-CONTEXT/config/cache.config.json`, if one exists.",
  }),
  maxSessions: option({
    env: 'MEMCTX_CACHE_MAX_SESSIONS',
    schema: positiveInt,
    default: 1000,
    description: 'Sessions kept in the cache before the least recently read are evicted.',
    file: fileKey('cache_policy.max_sessions', filePositiveInt, 'a whole number above 0, such as 1000'),
  }),
  maxPatterns: option({
    env: 'MEMCTX_CACHE_MAX_PATTERNS',
    schema: positiveInt,
    default: 500,
    description: 'Patterns kept in the cache before the least used are evicted (the most used stay).',
    file: fileKey('cache_policy.max_patterns', filePositiveInt, 'a whole number above 0, such as 500'),
  }),
  maxCheckpoints: option({ env: 'MEMCTX_CACHE_MAX_CHECKPOINTS', schema: positiveInt, default: 500, description: 'Checkpoints kept in the cache before the least recently read are evicted.' }),
  maxAgeDays: option({
    env: 'MEMCTX_CACHE_MAX_AGE_DAYS',
    schema: positiveInt,
    default: 30,
    description: 'Cached sessions and checkpoints not read for this many days are evicted.',
    file: fileKey('cache_policy.max_age_days', filePositiveInt, 'a whole number of days above 0, such as 30'),
  }),
  evictionPolicy: option<'lru'>({
    env: 'MEMCTX_CACHE_EVICTION_POLICY',
    schema: z.literal('lru'),
    default: 'lru',
    description: '`lru`, the one policy implemented: sessions and checkpoints least recently read go first, patterns least used.',
    file: fileKey('cache_policy.eviction_policy', z.literal('lru'), '"lru" (the only policy implemented)'),
  }),
  pullIntervalMs: option({
    env: 'MEMCTX_PULL_INTERVAL_MS',
    schema: nonNegativeInt,
    default: 15 * 60 * 1000,
    description: 'How often an open client pulls the change feeds in the background (0: never; call sync()).',
    file: fileKey('cache_policy.sync_interval_minutes', fileMinutes, 'a number of minutes, 0 or more, such as 15 (0: no background pull)'),
  }),
  pushOnWrite: option({
    env: 'MEMCTX_PUSH_ON_WRITE',
    schema: bool,
    default: true,
    description: 'Start a flush of the outbox right after each write.',
    file: fileKey('cache_policy.auto_sync_on_write', z.boolean(), 'true or false'),
  }),
  offlineQueue: option({
    env: 'MEMCTX_OFFLINE_QUEUE',
    schema: bool,
    default: true,
    description:
      'Queue writes while the gateway cannot be reached. false: a write made while the client knows it is offline (its last request failed, or no URL/token) throws that error and changes nothing.',
    file: fileKey('sync.offline_queue_enabled', z.boolean(), 'true or false'),
  }),
  retryAttempts: option({
    env: 'MEMCTX_RETRY_ATTEMPTS',
    schema: nonNegativeInt,
    default: 3,
    description:
      'Automatic retries of the outbox, in a row, after the gateway could not be reached; then the queue waits for the next background pull, a new write, or sync()/flush(). Nothing is dropped.',
    file: fileKey('sync.retry_attempts', z.number().int().min(0), 'a whole number, 0 or more, such as 3'),
  }),
  pendingAlertThreshold: option({
    env: 'MEMCTX_PENDING_ALERT',
    schema: positiveInt,
    default: 100,
    description: "Queued writes at which the client emits 'pending-alert'.",
  }),
  flushConcurrency: option({ env: 'MEMCTX_FLUSH_CONCURRENCY', schema: positiveInt, default: 4, description: 'Push requests in flight at once (each a batch of writes to different entities).' }),
  pushBatchSize: option({
    env: 'MEMCTX_PUSH_BATCH_SIZE',
    schema: z.coerce.number().int().min(1).max(500),
    default: 100,
    description: 'Queued writes sent in one push request (at most one per entity; the server allows up to 500).',
  }),
  pageSize: option({
    env: 'MEMCTX_PULL_PAGE_SIZE',
    schema: z.coerce.number().int().min(1).max(MAX_CHANGE_PAGE),
    // The server's largest page: the fewest requests, so a cold pull waits on the gateway as little as it can.
    default: MAX_CHANGE_PAGE,
    description: `Changes per feed per pull request (default and maximum: the server's largest page, MAX_CHANGE_PAGE of @memory-context/protocol, ${MAX_CHANGE_PAGE}).`,
  }),
  maintenanceIntervalMs: option({
    env: 'MEMCTX_CACHE_MAINTENANCE_MS',
    schema: positiveInt,
    default: 10_000,
    description: 'How often an open client records reads for LRU and checkpoints the WAL into the cache file.',
  }),
  requestTimeoutMs: option({ env: 'MEMCTX_REQUEST_TIMEOUT_MS', schema: positiveInt, default: 60_000, description: 'Time after which a gateway request counts as a network error.' }),
  backoffBaseMs: option({
    env: 'MEMCTX_BACKOFF_BASE_MS',
    schema: positiveInt,
    default: 1000,
    description: 'First retry delay after a network error or 5xx; doubles per attempt.',
    file: fileKey(
      'sync.retry_backoff_seconds',
      z
        .number()
        .positive()
        .transform((s) => Math.max(1, Math.round(s * 1000))),
      'a number of seconds above 0, such as 5',
    ),
  }),
  backoffMaxMs: option({ env: 'MEMCTX_BACKOFF_MAX_MS', schema: positiveInt, default: 5 * 60 * 1000, description: 'Longest retry delay.' }),
  maxInternalAttempts: option({
    env: 'MEMCTX_MAX_INTERNAL_ATTEMPTS',
    schema: positiveInt,
    default: 5,
    description: 'Attempts in a row a queued write may be answered INTERNAL before it moves to `rejected` (UNAVAILABLE and network errors retry without limit).',
  }),
  durability: option<'full' | 'normal'>({
    env: 'MEMCTX_CACHE_DURABILITY',
    schema: z.enum(['full', 'normal']),
    default: 'normal',
    description: '`normal`: a write that returned survives a crash or kill of the process (WAL); `full`: also a power loss or OS crash, at one fsync per write.',
  }),
  integrityCheck: option<'quick' | 'off'>({
    env: 'MEMCTX_CACHE_INTEGRITY_CHECK',
    schema: z.enum(['quick', 'off']),
    default: 'quick',
    description: 'Check the cache file with PRAGMA quick_check when it is opened.',
  }),
  privacyConfigPath: option<string | undefined>({
    env: 'MEMCTX_PRIVACY_CONFIG',
    schema: z.string().min(1).optional(),
    default: undefined,
    description: 'Privacy rules override applied onto the shipped privacy.config.json (same file as the server).',
  }),
  accessReason: option<string | undefined>({
    env: 'MEMCTX_ACCESS_REASON',
    schema: z
      .string()
      .trim()
      .min(1)
      .superRefine((reason, ctx) => {
        const problem = accessReasonProblem(reason);
        if (problem) ctx.addIssue({ code: 'custom', message: `access reason ${problem}` });
      })
      .optional(),
    default: undefined,
    description: 'Why this client reads and writes: sent as the x-memctx-access-reason header and kept in the audit trail.',
  }),
} as const;

type Specs = typeof CLIENT_OPTIONS;
export type ResolvedOptions = { [K in keyof Specs]: Specs[K]['default'] };
/** What createClient accepts: any option, each falling back to its environment variable, then cache.config.json, then its default. */
export type ClientOptions = { [K in keyof Specs]?: Specs[K]['default'] | undefined };

const FILE_KEYS: Record<string, FileKeySpec> = Object.fromEntries(
  Object.entries(CLIENT_OPTIONS as Record<string, OptionSpec<unknown>>).flatMap(([name, spec]) => (spec.file ? [[name, spec.file]] : [])),
);

function fromEnv(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * The one place options are resolved (createClient uses it; the memctx CLI
 * should too): options in code win over environment variables, which win over the
 * seed's cache.config.json, which wins over defaults. The result's
 * `cachePath` is absolute (the per-submodule default when none is given) and
 * `cacheConfigPath` is the file that was read, if any. Throws SdkError
 * INVALID_OPTIONS naming every bad option with its variable or file key.
 */
export function resolveClientOptions(options: ClientOptions = {}, env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): ResolvedOptions {
  const configPath = findCacheConfigFile(cwd, options.cacheConfigPath ?? fromEnv(env, CLIENT_OPTIONS.cacheConfigPath.env));
  const file = configPath ? readCacheConfigFile(configPath, FILE_KEYS) : undefined;
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(CLIENT_OPTIONS) as Array<[keyof Specs, OptionSpec<unknown>]>) {
    const given = options[name];
    const envValue = fromEnv(env, spec.env);
    if (given === undefined && envValue === undefined && file && name in file.values) {
      out[name] = file.values[name]; // checked against the option's file key already
      continue;
    }
    const raw = given !== undefined ? given : envValue;
    if (raw === undefined) {
      out[name] = spec.default;
      continue;
    }
    const parsed = spec.schema.safeParse(raw);
    if (parsed.success) out[name] = parsed.data;
    else problems.push(`${name} (${given !== undefined ? 'option' : spec.env}): ${parsed.error.issues.map((i) => i.message).join('; ')}, got ${JSON.stringify(raw)}`);
  }
  if (problems.length > 0) throw new SdkError('INVALID_OPTIONS', `Invalid memory-context client options:\n  ${problems.join('\n  ')}`, { problems });
  const explicitCache = options.cachePath !== undefined || fromEnv(env, CLIENT_OPTIONS.cachePath.env) !== undefined;
  const cachePath = out.cachePath as string;
  out.cachePath = cachePath === ':memory:' ? cachePath : explicitCache ? resolve(cwd, cachePath) : defaultCachePath(cwd, readTokenClaims(out.token as string | undefined).submoduleId);
  out.cacheConfigPath = configPath;
  return out as ResolvedOptions;
}
