import type { Database } from 'better-sqlite3';
import type { ResolvedOptions } from './config.js';
import { ENTITY_KINDS, TABLE, type EntityKind } from './entities.js';

export type EvictionLimits = Pick<ResolvedOptions, 'maxSessions' | 'maxPatterns' | 'maxCheckpoints' | 'maxAgeDays'>;

const DAY_MS = 24 * 3600 * 1000;

function maxFor(kind: EntityKind, limits: EvictionLimits): number {
  return kind === 'session' ? limits.maxSessions : kind === 'pattern' ? limits.maxPatterns : limits.maxCheckpoints;
}

/**
 * Keeps the cache within its limits (ARCHITECTURE §6): rows not read for
 * `maxAgeDays` go, then the least recently read beyond the per-kind maximum.
 * A row with a queued write or an open conflict is never evicted; an
 * EPHEMERAL row (it exists nowhere else) only ages out.
 */
export function evict(db: Database, limits: EvictionLimits, now: number): Record<EntityKind, number> {
  const evicted: Record<EntityKind, number> = { session: 0, pattern: 0, checkpoint: 0 };
  const cutoff = now - limits.maxAgeDays * DAY_MS;
  db.transaction(() => {
    for (const kind of ENTITY_KINDS) {
      const t = TABLE[kind].table;
      const keep = `NOT EXISTS (SELECT 1 FROM outbox o WHERE o.kind = '${kind}' AND o.entity_id = ${t}.id)
        AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.kind = '${kind}' AND c.entity_id = ${t}.id)`;
      evicted[kind] += db.prepare(`DELETE FROM ${t} WHERE sync_state IN ('synced', 'local') AND accessed_at < ? AND ${keep}`).run(cutoff).changes;
      const total = (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
      const over = total - maxFor(kind, limits);
      if (over > 0) {
        evicted[kind] += db
          .prepare(`DELETE FROM ${t} WHERE row_id IN (SELECT row_id FROM ${t} WHERE sync_state = 'synced' AND ${keep} ORDER BY accessed_at, sort_at LIMIT ?)`)
          .run(over).changes;
      }
    }
  }).immediate();
  return evicted;
}
