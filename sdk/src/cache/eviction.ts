import type { Database } from 'better-sqlite3';
import type { ResolvedOptions } from '../config.js';
import { ENTITY_KINDS, TABLE, type EntityKind } from '../entities.js';
import { transaction } from './transaction.js';

export type EvictionLimits = Pick<ResolvedOptions, 'maxSessions' | 'maxPatterns' | 'maxCheckpoints' | 'maxAgeDays'>;

const DAY_MS = 24 * 3600 * 1000;

function maxFor(kind: EntityKind, limits: EvictionLimits): number {
  return kind === 'session' ? limits.maxSessions : kind === 'pattern' ? limits.maxPatterns : limits.maxCheckpoints;
}

/**
 * Which rows go first beyond the per-kind maximum: sessions and checkpoints
 * least recently read (LRU); patterns least used, so the most used stay
 * (the seed keeps the "top N most-used patterns"), then least recently read.
 */
const EVICTION_ORDER: Record<EntityKind, string> = {
  session: 'accessed_at, sort_at',
  pattern: "coalesce(data ->> '$.usageCount', 0), accessed_at, sort_at",
  checkpoint: 'accessed_at, sort_at',
};

/**
 * Keeps the cache within its limits (ARCHITECTURE §6): sessions and
 * checkpoints not read for `maxAgeDays` go, then the rows beyond the per-kind
 * maximum in EVICTION_ORDER. Synced patterns do not age out: use decides. A
 * row with a queued write or an open conflict is never evicted; an EPHEMERAL
 * row (it exists nowhere else) only ages out.
 */
export function evict(db: Database, limits: EvictionLimits, now: number): Record<EntityKind, number> {
  const evicted: Record<EntityKind, number> = { session: 0, pattern: 0, checkpoint: 0 };
  const cutoff = now - limits.maxAgeDays * DAY_MS;
  transaction(db, () => {
    for (const kind of ENTITY_KINDS) {
      const t = TABLE[kind].table;
      const keep = `NOT EXISTS (SELECT 1 FROM outbox o WHERE o.kind = '${kind}' AND o.entity_id = ${t}.id)
        AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.kind = '${kind}' AND c.entity_id = ${t}.id)`;
      const aging = kind === 'pattern' ? `sync_state = 'local'` : `sync_state IN ('synced', 'local')`;
      evicted[kind] += db.prepare(`DELETE FROM ${t} WHERE ${aging} AND accessed_at < ? AND ${keep}`).run(cutoff).changes;
      const total = (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
      const over = total - maxFor(kind, limits);
      if (over > 0) {
        evicted[kind] += db
          .prepare(`DELETE FROM ${t} WHERE row_id IN (SELECT row_id FROM ${t} WHERE sync_state = 'synced' AND ${keep} ORDER BY ${EVICTION_ORDER[kind]} LIMIT ?)`)
          .run(over).changes;
      }
    }
  });
  return evicted;
}
