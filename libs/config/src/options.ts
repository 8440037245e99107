import { join } from 'node:path';
import { z } from 'zod';

/**
 * Every option of memory-context: its environment variable, type, default and
 * a one-line description. The README's configuration table lists these (a test
 * checks that it does).
 */
export interface OptionSpec<T> {
  env: string;
  schema: z.ZodType<T>;
  default: T | ((partial: Record<string, unknown>) => T) | undefined;
  description: string;
  /** What to tell the user when the value is wrong. */
  hint: string;
}

const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const url = z.string().url();

function option<T>(spec: OptionSpec<T>): OptionSpec<T> {
  return spec;
}

export const OPTIONS = {
  env: option({
    env: 'MEMCTX_ENV',
    schema: z.enum(['development', 'test', 'production']),
    default: () => (process.env.NODE_ENV === 'production' ? 'production' : 'development'),
    description: 'Run mode. `production` turns off Sandbox and introspection and masks internal errors.',
    hint: 'use development, test or production',
  }),
  dataDir: option({
    env: 'MEMCTX_DATA_DIR',
    schema: z.string().min(1),
    default: './.memctx',
    description: 'Embedded data directory: PGlite database, generated JWT secret.',
    hint: 'give a writable directory path',
  }),
  databaseUrl: option<string | undefined>({
    env: 'MEMCTX_DATABASE_URL',
    schema: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
    default: undefined,
    description: 'Postgres connection URL. Unset: embedded PGlite in the data directory.',
    hint: 'use postgres://user:password@host:5432/database',
  }),
  databasePoolSize: option({
    env: 'MEMCTX_DATABASE_POOL_SIZE',
    schema: positiveInt,
    default: 10,
    description: 'Postgres connections per service process.',
    hint: 'use a positive integer',
  }),
  host: option({
    env: 'MEMCTX_HOST',
    schema: z.string().min(1),
    default: '127.0.0.1',
    description: 'Address the gateway and subgraphs listen on.',
    hint: 'use an interface address such as 127.0.0.1 or 0.0.0.0',
  }),
  gatewayPort: option({
    env: 'MEMCTX_GATEWAY_PORT',
    schema: port,
    default: 4000,
    description: 'Gateway port. Subgraphs take the next ports unless set.',
    hint: 'use a port number between 1 and 65535',
  }),
  sessionsPort: option({
    env: 'MEMCTX_SESSIONS_PORT',
    schema: port,
    default: (p) => Number(p.gatewayPort) + 1,
    description: 'Sessions subgraph port (default gateway port + 1).',
    hint: 'use a port number between 1 and 65535',
  }),
  patternsPort: option({
    env: 'MEMCTX_PATTERNS_PORT',
    schema: port,
    default: (p) => Number(p.gatewayPort) + 2,
    description: 'Patterns subgraph port (default gateway port + 2).',
    hint: 'use a port number between 1 and 65535',
  }),
  checkpointsPort: option({
    env: 'MEMCTX_CHECKPOINTS_PORT',
    schema: port,
    default: (p) => Number(p.gatewayPort) + 3,
    description: 'Checkpoints subgraph port (default gateway port + 3).',
    hint: 'use a port number between 1 and 65535',
  }),
  searchPort: option({
    env: 'MEMCTX_SEARCH_PORT',
    schema: port,
    default: (p) => Number(p.gatewayPort) + 4,
    description: 'Search subgraph port (default gateway port + 4).',
    hint: 'use a port number between 1 and 65535',
  }),
  sessionsUrl: option<string | undefined>({
    env: 'MEMCTX_SESSIONS_URL',
    schema: url.optional(),
    default: undefined,
    description: 'Sessions subgraph URL for a gateway run on its own (default: loopback port).',
    hint: 'use a full URL such as http://sessions:4001/graphql',
  }),
  patternsUrl: option<string | undefined>({
    env: 'MEMCTX_PATTERNS_URL',
    schema: url.optional(),
    default: undefined,
    description: 'Patterns subgraph URL for a gateway run on its own (default: loopback port).',
    hint: 'use a full URL such as http://patterns:4002/graphql',
  }),
  checkpointsUrl: option<string | undefined>({
    env: 'MEMCTX_CHECKPOINTS_URL',
    schema: url.optional(),
    default: undefined,
    description: 'Checkpoints subgraph URL for a gateway run on its own (default: loopback port).',
    hint: 'use a full URL such as http://checkpoints:4003/graphql',
  }),
  searchUrl: option<string | undefined>({
    env: 'MEMCTX_SEARCH_URL',
    schema: url.optional(),
    default: undefined,
    description: 'Search subgraph URL for a gateway run on its own (default: loopback port).',
    hint: 'use a full URL such as http://search:4004/graphql',
  }),
  jwtSecret: option<string | undefined>({
    env: 'MEMCTX_JWT_SECRET',
    schema: z.string().min(32, 'must be at least 32 characters').optional(),
    default: undefined,
    description: 'HS256 signing secret. Unset and no public key: generated in the data directory on first start.',
    hint: 'use a random string of at least 32 characters (e.g. `openssl rand -hex 32`)',
  }),
  jwtPublicKey: option<string | undefined>({
    env: 'MEMCTX_JWT_PUBLIC_KEY',
    schema: z.string().includes('BEGIN PUBLIC KEY', { message: 'must be a PEM (SPKI) public key' }).optional(),
    default: undefined,
    description: 'PEM public key that verifies tokens (production).',
    hint: 'paste a PEM block starting with -----BEGIN PUBLIC KEY-----',
  }),
  jwksUrl: option<string | undefined>({
    env: 'MEMCTX_JWKS_URL',
    schema: url.optional(),
    default: undefined,
    description: 'JWKS URL that verifies tokens (production).',
    hint: 'use the https URL of your identity provider\'s JWKS',
  }),
  jwtAlgorithms: option({
    env: 'MEMCTX_JWT_ALGORITHMS',
    schema: z
      .string()
      .transform((s) => s.split(',').map((a) => a.trim()).filter(Boolean))
      .pipe(z.array(z.enum(['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'])).min(1)),
    default: ['RS256', 'ES256', 'EdDSA'],
    description: 'Asymmetric algorithms accepted with a public key or JWKS (comma-separated).',
    hint: 'use a comma-separated list of RS256, RS384, RS512, PS256, ES256, ES384, EdDSA',
  }),
  jwtIssuer: option({
    env: 'MEMCTX_JWT_ISSUER',
    schema: z.string().min(1),
    default: 'memory-context',
    description: 'Required `iss` claim.',
    hint: 'use the issuer name your tokens carry',
  }),
  jwtAudience: option({
    env: 'MEMCTX_JWT_AUDIENCE',
    schema: z.string().min(1),
    default: 'memory-context',
    description: 'Required `aud` claim.',
    hint: 'use the audience your tokens carry',
  }),
  maxContentBytes: option({
    env: 'MEMCTX_MAX_CONTENT_BYTES',
    schema: positiveInt,
    default: 5 * 1024 * 1024,
    description: 'Largest session/checkpoint content accepted (bytes); beyond it PAYLOAD_TOO_LARGE.',
    hint: 'use a positive number of bytes',
  }),
  maxBodyBytes: option({
    env: 'MEMCTX_MAX_BODY_BYTES',
    schema: positiveInt,
    default: 8 * 1024 * 1024,
    description: 'Largest HTTP request body the gateway and subgraphs read (bytes).',
    hint: 'use a positive number of bytes, larger than MEMCTX_MAX_CONTENT_BYTES',
  }),
  maxWriteBatch: option({
    env: 'MEMCTX_MAX_WRITE_BATCH',
    schema: positiveInt,
    default: 500,
    description: 'Most writes one `apply…Writes` batch may carry; beyond it `PAYLOAD_TOO_LARGE`.',
    hint: 'use a positive integer',
  }),
  maxDepth: option({
    env: 'MEMCTX_MAX_DEPTH',
    schema: positiveInt,
    default: 12,
    description: 'Deepest selection set an operation may have.',
    hint: 'use a positive integer',
  }),
  maxAliases: option({
    env: 'MEMCTX_MAX_ALIASES',
    schema: positiveInt,
    default: 20,
    description: 'Most aliases an operation may use.',
    hint: 'use a positive integer',
  }),
  maxInputDepth: option({
    env: 'MEMCTX_MAX_INPUT_DEPTH',
    schema: positiveInt,
    default: 64,
    description: 'Deepest nesting of objects and arrays in one argument (a pattern body, a filter); deeper input is BAD_USER_INPUT.',
    hint: 'use a positive integer',
  }),
  maxTokens: option({
    env: 'MEMCTX_MAX_TOKENS',
    schema: positiveInt,
    default: 3000,
    description: 'Most lexical tokens an operation may have.',
    hint: 'use a positive integer',
  }),
  maxCost: option({
    env: 'MEMCTX_MAX_COST',
    schema: positiveInt,
    default: 10000,
    description: 'Highest computed cost an operation may have.',
    hint: 'use a positive integer',
  }),
  gdprRetentionSeconds: option({
    env: 'MEMCTX_GDPR_RETENTION_SECONDS',
    schema: positiveInt,
    default: 30 * 24 * 3600,
    description: 'How long an archived copy of GDPR-deleted content is kept before it is purged.',
    hint: 'use a positive number of seconds (default 2592000 = 30 days)',
  }),
  purgeIntervalSeconds: option({
    env: 'MEMCTX_PURGE_INTERVAL_SECONDS',
    schema: positiveInt,
    default: 300,
    description: 'How often each subgraph runs its maintenance pass: purges expired archives and idempotency keys, compacts its change feed (and, in sessions, archives old audit events).',
    hint: 'use a positive number of seconds',
  }),
  idempotencyTtlSeconds: option({
    env: 'MEMCTX_IDEMPOTENCY_TTL_SECONDS',
    schema: positiveInt,
    default: 7 * 24 * 3600,
    description: 'How long a mutation\'s idempotency key is remembered.',
    hint: 'use a positive number of seconds (default 604800 = 7 days)',
  }),
  feedRetentionSeconds: option({
    env: 'MEMCTX_FEED_RETENTION_SECONDS',
    schema: positiveInt,
    default: 7 * 24 * 3600,
    description: 'How long a change superseded by a later change of the same entity stays in the change feeds.',
    hint: 'use a positive number of seconds (default 604800 = 7 days)',
  }),
  feedTombstoneRetentionSeconds: option({
    env: 'MEMCTX_FEED_TOMBSTONE_RETENTION_SECONDS',
    schema: positiveInt,
    default: 30 * 24 * 3600,
    description: 'How long deletions and privacy-level changes stay in the change feeds; an older cursor gets CURSOR_EXPIRED. Keep it at least the SDK\'s cache max age.',
    hint: 'use a positive number of seconds, at least MEMCTX_FEED_RETENTION_SECONDS (default 2592000 = 30 days, the SDK\'s max_age_days)',
  }),
  auditRetentionSeconds: option({
    env: 'MEMCTX_AUDIT_RETENTION_SECONDS',
    schema: positiveInt,
    default: 7 * 365 * 24 * 3600,
    description: 'How long audit events stay in the database; older ones are written to MEMCTX_AUDIT_ARCHIVE_DIR, then removed.',
    hint: 'use a positive number of seconds (default 220752000 = 7 years of 365 days)',
  }),
  auditArchiveDir: option({
    env: 'MEMCTX_AUDIT_ARCHIVE_DIR',
    schema: z.string().min(1),
    default: (partial) => join(String(partial.dataDir ?? './.memctx'), 'audit-archive'),
    description: 'Where the sessions service writes audit events past their retention (gzip JSON lines) before removing them. Default `<MEMCTX_DATA_DIR>/audit-archive`.',
    hint: 'give a writable directory path',
  }),
  backupDir: option({
    env: 'MEMCTX_BACKUP_DIR',
    schema: z.string().min(1),
    default: (partial) => join(String(partial.dataDir ?? './.memctx'), 'backups'),
    description: 'Where the embedded stack and `npm run backup` write backups (export files). Default `<MEMCTX_DATA_DIR>/backups`.',
    hint: 'give a writable directory path',
  }),
  backupIntervalSeconds: option({
    env: 'MEMCTX_BACKUP_INTERVAL',
    schema: z.coerce.number().int().min(0),
    default: 24 * 3600,
    description: 'Seconds between the backups the embedded stack takes (first one at start); 0 turns them off.',
    hint: 'use a number of seconds (default 86400 = daily), or 0 for none',
  }),
  backupKeep: option({
    env: 'MEMCTX_BACKUP_KEEP',
    schema: positiveInt,
    default: 30,
    description: 'How many backups to keep in MEMCTX_BACKUP_DIR; older ones are deleted after each new one.',
    hint: 'use a positive integer',
  }),
  embeddedLayout: option<'threads' | 'gateway-thread' | 'single'>({
    env: 'MEMCTX_EMBEDDED_LAYOUT',
    schema: z.enum(['threads', 'gateway-thread', 'single']),
    default: 'threads',
    description: '`npm start`: `threads` runs the gateway and the embedded PGlite each in a worker thread beside the subgraphs, so both cores serve (`memctx import` about 1.3 times faster than `gateway-thread`; each statement costs about 0.2 ms more, so a cold pull is about 12% slower and 32 `createSession` at once about 25% slower); `gateway-thread` runs only the gateway in a worker thread; `single` runs everything on one thread (for comparison).',
    hint: 'use threads, gateway-thread or single',
  }),
  privacyConfig: option<string | undefined>({
    env: 'MEMCTX_PRIVACY_CONFIG',
    schema: z.string().min(1).optional(),
    default: undefined,
    description: 'Path to a privacy.config.json overriding the shipped redaction rules.',
    hint: 'give the path of a JSON file shaped like libs/privacy/privacy.config.json',
  }),
  embeddings: option({
    env: 'MEMCTX_EMBEDDINGS',
    schema: z.enum(['local', 'huggingface']),
    default: 'local',
    description: 'Embedding provider of the search index: `local` (offline, shipped) or `huggingface`.',
    hint: 'use local or huggingface',
  }),
  hfToken: option<string | undefined>({
    env: 'MEMCTX_HF_TOKEN',
    schema: z.string().min(1).optional(),
    default: undefined,
    description: 'Hugging Face access token (hosted Inference API or a protected endpoint).',
    hint: 'paste a token starting with hf_',
  }),
  hfEndpointUrl: option<string | undefined>({
    env: 'MEMCTX_HF_ENDPOINT_URL',
    schema: url.optional(),
    default: undefined,
    description: 'URL of a self-hosted Hugging Face inference endpoint (instead of the hosted API).',
    hint: 'use the full https URL of your endpoint',
  }),
  hfModel: option({
    env: 'MEMCTX_HF_MODEL',
    schema: z.string().min(1),
    default: 'sentence-transformers/all-MiniLM-L6-v2',
    description: 'Hugging Face feature-extraction model.',
    hint: 'use a model id such as sentence-transformers/all-MiniLM-L6-v2',
  }),
  vectorStore: option<'pgvector' | 'qdrant' | undefined>({
    env: 'MEMCTX_VECTOR_STORE',
    schema: z.enum(['pgvector', 'qdrant']).optional(),
    default: undefined,
    description: 'Vector store: `pgvector` or `qdrant`. Unset: pgvector where the database has it, else an exact scan kept in Postgres.',
    hint: 'use pgvector or qdrant',
  }),
  qdrantUrl: option<string | undefined>({
    env: 'MEMCTX_QDRANT_URL',
    schema: url.optional(),
    default: undefined,
    description: 'Qdrant URL (with MEMCTX_VECTOR_STORE=qdrant).',
    hint: 'use a URL such as http://qdrant:6333',
  }),
  qdrantApiKey: option<string | undefined>({
    env: 'MEMCTX_QDRANT_API_KEY',
    schema: z.string().min(1).optional(),
    default: undefined,
    description: 'Qdrant API key, when the server requires one.',
    hint: 'paste the API key of your Qdrant cluster',
  }),
  qdrantCollection: option({
    env: 'MEMCTX_QDRANT_COLLECTION',
    schema: z.string().regex(/^[A-Za-z0-9_-]{1,255}$/),
    default: 'memory_context',
    description: 'Qdrant collection holding every submodule\'s vectors (tenant index on submodule).',
    hint: 'use letters, digits, _ or -',
  }),
  indexerBatchSize: option({
    env: 'MEMCTX_INDEXER_BATCH_SIZE',
    schema: positiveInt,
    default: 64,
    description: 'Documents the search indexer embeds per batch.',
    hint: 'use a positive integer',
  }),
  indexerPollMs: option({
    env: 'MEMCTX_INDEXER_POLL_MS',
    schema: positiveInt,
    default: 1000,
    description: 'How often the search indexer polls the change feeds when no NOTIFY wakes it (ms).',
    hint: 'use a positive number of milliseconds',
  }),
  rateLimitEnabled: option({
    env: 'MEMCTX_RATE_LIMIT_ENABLED',
    schema: bool,
    default: true,
    description: 'Limit GraphQL requests per token and per submodule at the gateway (answers 429 `RATE_LIMITED` with `retryAfter`).',
    hint: 'use true or false',
  }),
  rateLimitTokenPerMinute: option({
    env: 'MEMCTX_RATE_LIMIT_TOKEN_PER_MINUTE',
    schema: positiveInt,
    default: 6000,
    description: 'GraphQL requests one token may send per minute.',
    hint: 'use a positive integer',
  }),
  rateLimitSubmodulePerMinute: option({
    env: 'MEMCTX_RATE_LIMIT_SUBMODULE_PER_MINUTE',
    schema: positiveInt,
    default: 12000,
    description: 'GraphQL requests all tokens of one submodule may send together per minute.',
    hint: 'use a positive integer',
  }),
  rateLimitAdminPerMinute: option({
    env: 'MEMCTX_RATE_LIMIT_ADMIN_PER_MINUTE',
    schema: positiveInt,
    default: 60000,
    description: 'Both limits for a token with `memory:admin` (per token and per submodule).',
    hint: 'use a positive integer, at least the non-admin limits',
  }),
  rateLimitKeyPrefix: option({
    env: 'MEMCTX_RATE_LIMIT_KEY_PREFIX',
    schema: z.string().regex(/^[A-Za-z0-9:_-]{1,64}$/),
    default: 'memctx:rl',
    description: 'Prefix of the rate-limit counters\' keys (in Redis: gateways sharing it share the counters).',
    hint: 'use 1 to 64 letters, digits, :, _ or -',
  }),
  redisUrl: option<string | undefined>({
    env: 'MEMCTX_REDIS_URL',
    schema: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),
    default: undefined,
    description: 'Redis holding the rate-limit counters, shared by every gateway instance. Unset: counters in each gateway\'s memory.',
    hint: 'use redis://host:6379 (rediss:// for TLS)',
  }),
  logLevel: option({
    env: 'MEMCTX_LOG_LEVEL',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    default: 'info',
    description: 'Structured log level.',
    hint: 'use fatal, error, warn, info, debug, trace or silent',
  }),
  sandbox: option<boolean | undefined>({
    env: 'MEMCTX_SANDBOX',
    schema: bool.optional(),
    default: undefined,
    description: 'Force the Sandbox landing page and introspection on or off (default: on outside production).',
    hint: 'use true or false',
  }),
} as const;

type Options = typeof OPTIONS;
export type Config = {
  readonly [K in keyof Options]: Options[K] extends OptionSpec<infer T> ? T : never;
};
