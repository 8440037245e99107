import { OPTIONS, type Config, type OptionSpec } from './options.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads and validates every MEMCTX_* option at once, so a user sees all
 * mistakes in one message, each naming the variable and the fix.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, spec] of Object.entries(OPTIONS) as Array<[string, OptionSpec<unknown>]>) {
    if (key in overrides) {
      values[key] = (overrides as Record<string, unknown>)[key];
      continue;
    }
    const raw = env[spec.env];
    if (raw === undefined || raw === '') {
      values[key] = typeof spec.default === 'function' ? (spec.default as (p: Record<string, unknown>) => unknown)(values) : spec.default;
      continue;
    }
    const parsed = spec.schema.safeParse(raw);
    if (parsed.success) {
      values[key] = parsed.data;
    } else {
      const reason = parsed.error.issues.map((i) => i.message).join('; ');
      problems.push(`${spec.env}=${JSON.stringify(raw.length > 60 ? `${raw.slice(0, 60)}…` : raw)} is invalid (${reason}): ${spec.hint}.`);
    }
  }
  if (values.jwtPublicKey !== undefined && values.jwksUrl !== undefined) {
    problems.push('MEMCTX_JWT_PUBLIC_KEY and MEMCTX_JWKS_URL are both set: set only one of them.');
  }
  if (typeof values.maxBodyBytes === 'number' && typeof values.maxContentBytes === 'number' && values.maxBodyBytes <= values.maxContentBytes) {
    problems.push('MEMCTX_MAX_BODY_BYTES must be larger than MEMCTX_MAX_CONTENT_BYTES, or content of the largest allowed size could never arrive.');
  }
  if (values.vectorStore === 'qdrant' && values.qdrantUrl === undefined) {
    problems.push('MEMCTX_VECTOR_STORE=qdrant needs MEMCTX_QDRANT_URL.');
  }
  if (values.embeddings === 'huggingface' && values.hfToken === undefined && values.hfEndpointUrl === undefined) {
    problems.push('MEMCTX_EMBEDDINGS=huggingface needs MEMCTX_HF_TOKEN (hosted API) or MEMCTX_HF_ENDPOINT_URL (your endpoint).');
  }
  if (values.env === 'production' && values.jwtSecret === undefined && values.jwtPublicKey === undefined && values.jwksUrl === undefined) {
    problems.push('MEMCTX_ENV=production needs MEMCTX_JWKS_URL, MEMCTX_JWT_PUBLIC_KEY or MEMCTX_JWT_SECRET: every process must verify tokens with the same key.');
  }
  if (typeof values.feedRetentionSeconds === 'number' && typeof values.feedTombstoneRetentionSeconds === 'number' && values.feedTombstoneRetentionSeconds < values.feedRetentionSeconds) {
    problems.push('MEMCTX_FEED_TOMBSTONE_RETENTION_SECONDS must be at least MEMCTX_FEED_RETENTION_SECONDS: a deletion must outlive the changes it ends.');
  }
  const admin = values.rateLimitAdminPerMinute;
  if (typeof admin === 'number' && [values.rateLimitTokenPerMinute, values.rateLimitSubmodulePerMinute].some((n) => typeof n === 'number' && admin < n)) {
    problems.push('MEMCTX_RATE_LIMIT_ADMIN_PER_MINUTE must be at least MEMCTX_RATE_LIMIT_TOKEN_PER_MINUTE and MEMCTX_RATE_LIMIT_SUBMODULE_PER_MINUTE: admin tokens get the higher limit.');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(values) as Config;
}

export function isProduction(config: Config): boolean {
  return config.env === 'production';
}

export function sandboxEnabled(config: Config): boolean {
  return config.sandbox ?? config.env !== 'production';
}

export type SubgraphName = 'sessions' | 'patterns' | 'checkpoints' | 'search';

export function subgraphPort(config: Config, name: SubgraphName): number {
  return { sessions: config.sessionsPort, patterns: config.patternsPort, checkpoints: config.checkpointsPort, search: config.searchPort }[name];
}

export function subgraphUrl(config: Config, name: SubgraphName): string {
  const explicit = { sessions: config.sessionsUrl, patterns: config.patternsUrl, checkpoints: config.checkpointsUrl, search: config.searchUrl }[name];
  return explicit ?? `http://127.0.0.1:${subgraphPort(config, name)}/graphql`;
}
