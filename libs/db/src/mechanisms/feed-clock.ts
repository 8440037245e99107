import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../database.js';

/**
 * Feed positions (feed-position.ts) are transaction ids, and transaction ids
 * belong to one Postgres cluster: a snapshot restored into a new database
 * brings rows whose ids that database has not reached yet. So writers store
 * `registry.feed_txid()`, the id plus the shift in registry.feed_clock, and
 * readers shift the horizon alike; a restore raises the shift past every
 * restored position, so what is written after it comes after it, and the
 * restored rows (and the cursors clients hold on them) stay valid.
 */
export const FEED_CLOCK_SHIFT = '(select coalesce(max(shift), 0) from registry.feed_clock)';

const FEEDS = ['sessions.changes', 'patterns.changes', 'checkpoints.changes'];

/** After restoring change rows: positions written from now on come after all of them. */
export async function advanceFeedClock(tx: DbOrTx): Promise<void> {
  const restoredMax = FEEDS.map((feed) => `(select max(txid) from ${feed})`).join(', ');
  await tx.execute(
    sql.raw(`insert into registry.feed_clock (single, shift)
      select true, greatest(0, coalesce(greatest(${restoredMax}), 0) + 1 - pg_current_xact_id()::text::bigint)
      on conflict (single) do update set shift = greatest(registry.feed_clock.shift, excluded.shift)`),
  );
}
