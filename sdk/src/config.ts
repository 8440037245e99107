import { join } from 'node:path';
import { accessReasonProblem } from '@memory-context/protocol';
import { z } from 'zod';
import { SdkError } from './errors.js';

/**
 * Every client option: its type, default, one-line description and the
 * environment variable it falls back to. Validated in one place
 * (resolveClientOptions); docs/sdk.md lists the same table.
 */
interface OptionSpec<T> {
  env: string;
  schema: z.ZodType<T>;
  default: T;
  description: string;
}

const positiveInt = z.coerce.number().int().positive();
const nonNegativeInt = z.coerce.number().int().min(0);
const bool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes')]);

function option<T>(spec: OptionSpec<T>): OptionSpec<T> {
  return spec;
}

/** Where the cache lives unless told otherwise: under the working directory. */
export const DEFAULT_CACHE_RELATIVE_PATH = join('.coditect', 'MEMORY-CONTEXT', 'cache', 'memory-cache.db');

export const CLIENT_OPTIONS = {
  url: option<string | undefined>({
    env: 'MEMCTX_URL',
    schema: z.string().url().optional(),
    default: undefined,
    description: 'Gateway GraphQL endpoint, such as http://127.0.0.1:4000/graphql. Unset: the client works from its cache alone.',
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
    description: 'SQLite cache file, relative to the working directory unless absolute.',
  }),
  maxSessions: option({ env: 'MEMCTX_CACHE_MAX_SESSIONS', schema: positiveInt, default: 1000, description: 'Sessions kept in the cache before the least recently used are evicted.' }),
  maxPatterns: option({ env: 'MEMCTX_CACHE_MAX_PATTERNS', schema: positiveInt, default: 500, description: 'Patterns kept in the cache before the least recently used are evicted.' }),
  maxCheckpoints: option({ env: 'MEMCTX_CACHE_MAX_CHECKPOINTS', schema: positiveInt, default: 500, description: 'Checkpoints kept in the cache before the least recently used are evicted.' }),
  maxAgeDays: option({ env: 'MEMCTX_CACHE_MAX_AGE_DAYS', schema: positiveInt, default: 30, description: 'Cached rows not read for this many days are evicted.' }),
  pullIntervalMs: option({
    env: 'MEMCTX_PULL_INTERVAL_MS',
    schema: nonNegativeInt,
    default: 15 * 60 * 1000,
    description: 'How often an open client pulls the change feeds in the background (0: never; call sync()).',
  }),
  pushOnWrite: option({ env: 'MEMCTX_PUSH_ON_WRITE', schema: bool, default: true, description: 'Start a flush of the outbox right after each write.' }),
  pendingAlertThreshold: option({
    env: 'MEMCTX_PENDING_ALERT',
    schema: positiveInt,
    default: 100,
    description: "Queued writes at which the client emits 'pending-alert'.",
  }),
  flushConcurrency: option({ env: 'MEMCTX_FLUSH_CONCURRENCY', schema: positiveInt, default: 4, description: 'Queued writes of different entities sent at once.' }),
  pageSize: option({ env: 'MEMCTX_PULL_PAGE_SIZE', schema: z.coerce.number().int().min(1).max(500), default: 500, description: 'Changes per feed per pull request (the server allows up to 500).' }),
  maintenanceIntervalMs: option({
    env: 'MEMCTX_CACHE_MAINTENANCE_MS',
    schema: positiveInt,
    default: 10_000,
    description: 'How often an open client records reads for LRU and checkpoints the WAL into the cache file.',
  }),
  requestTimeoutMs: option({ env: 'MEMCTX_REQUEST_TIMEOUT_MS', schema: positiveInt, default: 60_000, description: 'Time after which a gateway request counts as a network error.' }),
  backoffBaseMs: option({ env: 'MEMCTX_BACKOFF_BASE_MS', schema: positiveInt, default: 1000, description: 'First retry delay after a network error or 5xx; doubles per attempt.' }),
  backoffMaxMs: option({ env: 'MEMCTX_BACKOFF_MAX_MS', schema: positiveInt, default: 5 * 60 * 1000, description: 'Longest retry delay.' }),
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
/** What createClient accepts: any option, each falling back to its environment variable, then its default. */
export type ClientOptions = { [K in keyof Specs]?: Specs[K]['default'] | undefined };

/**
 * Explicit options win over the environment, the environment over defaults.
 * Throws SdkError INVALID_OPTIONS naming every bad option and its variable.
 */
export function resolveClientOptions(options: ClientOptions = {}, env: NodeJS.ProcessEnv = process.env): ResolvedOptions {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(CLIENT_OPTIONS) as Array<[keyof Specs, OptionSpec<unknown>]>) {
    const given = options[name];
    const fromEnv = env[spec.env];
    const raw = given !== undefined ? given : fromEnv !== undefined && fromEnv !== '' ? fromEnv : undefined;
    if (raw === undefined) {
      out[name] = spec.default;
      continue;
    }
    const parsed = spec.schema.safeParse(raw);
    if (parsed.success) out[name] = parsed.data;
    else problems.push(`${name} (${given !== undefined ? 'option' : spec.env}): ${parsed.error.issues.map((i) => i.message).join('; ')}, got ${JSON.stringify(raw)}`);
  }
  if (problems.length > 0) throw new SdkError('INVALID_OPTIONS', `Invalid memory-context client options:\n  ${problems.join('\n  ')}`, { problems });
  return out as ResolvedOptions;
}
