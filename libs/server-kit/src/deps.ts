import { ConfigError, isProduction, type Config } from '@memory-context/config';
import { createVerifier, type TokenVerifier } from '@memory-context/auth';
import { AuditLog } from '@memory-context/audit';
import { openConfiguredDatabase, type Database } from '@memory-context/db';
import { createRedactor, loadPrivacyConfig, type Redactor } from '@memory-context/privacy';
import { createLogger, type Logger } from '@memory-context/telemetry';

/** What every service needs; the embedded launcher builds it once for all of them. */
export interface ServiceDeps {
  readonly config: Config;
  readonly database: Database;
  readonly verifier: TokenVerifier;
  readonly audit: AuditLog;
  readonly redactor: Redactor;
  readonly logger: Logger;
  readonly production: boolean;
  close(): Promise<void>;
}

export interface ServiceDepsOptions {
  /** An open database to use instead of the configured one (tests); its owner closes it. */
  database?: Database;
  service?: string;
  /** PGlite on a thread of its own (the embedded stack's `threads` layout). */
  pgliteThread?: boolean;
}

export async function createServiceDeps(config: Config, options: ServiceDepsOptions = {}): Promise<ServiceDeps> {
  if (isProduction(config) && options.database === undefined && config.databaseUrl === undefined) {
    throw new ConfigError(['MEMCTX_ENV=production needs MEMCTX_DATABASE_URL: the embedded PGlite database is for development.']);
  }
  const logger = createLogger({ level: config.logLevel, service: options.service ?? 'memory-context' });
  const database = options.database ?? (await openConfiguredDatabase(config, { pgliteThread: options.pgliteThread === true }));
  const ownsDatabase = options.database === undefined;
  const audit = new AuditLog(database.db, {
    onError: (error) => logger.error({ err: error }, 'audit flush failed; events kept for retry'),
    // Their last resort at shutdown: the events (no content) in the error log.
    onUnwritten: (events, error) => logger.error({ err: error, auditEvents: events }, `${events.length} audit events could not be written before shutdown`),
  });
  return {
    config,
    database,
    verifier: await createVerifier(config),
    audit,
    redactor: createRedactor(loadPrivacyConfig(config.privacyConfig)),
    logger,
    production: isProduction(config),
    async close() {
      await audit.close();
      if (ownsDatabase) await database.close();
    },
  };
}
