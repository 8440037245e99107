import type { Database } from 'better-sqlite3';
import { SCHEMA_V1, SCHEMA_V2, SCHEMA_V3 } from './schema.js';
import { transaction } from './transaction.js';

/**
 * The cache's own schema versions, applied in order inside one transaction.
 * PRAGMA user_version records the version reached; PRAGMA application_id
 * marks the file as a memory-context cache (cache/open-cache.ts).
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial cache schema', sql: SCHEMA_V1 },
  { version: 2, name: 'resync candidates after CURSOR_EXPIRED', sql: SCHEMA_V2 },
  { version: 3, name: 'FTS entries rewritten only when the searchable text changes', sql: SCHEMA_V3 },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

/** "MCTX" as a 32-bit integer: the application_id of every cache file. */
export const CACHE_APPLICATION_ID = 0x4d435458;

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies the migrations the file has not seen; returns the versions applied. */
export function migrate(db: Database): number[] {
  const applied: number[] = [];
  transaction(db, () => {
    const current = schemaVersion(db);
    for (const migration of MIGRATIONS) {
      if (migration.version <= current) continue;
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
      applied.push(migration.version);
    }
  });
  return applied;
}
