import type { Database, Statement } from 'better-sqlite3';
import { TABLE, type EntityKind } from '../entities.js';

/**
 * A feed pulled again from scratch (CURSOR_EXPIRED: its cursor is older than
 * the server's compaction horizon). The server no longer has the tombstones
 * between the old cursor and now, so the cache cannot tell from the feed what
 * was deleted; instead every synced row of the kind is a candidate to drop,
 * each row the feed sends (or deletes) stops being one, and once the feed has
 * caught up the candidates left go. The list lives in the cache file, so a
 * resync cut short resumes. Rows with queued writes, open conflicts or
 * EPHEMERAL rows are never candidates.
 */
export class Resync {
  private readonly seenStmt: Statement<[string, string]>;
  private readonly clearStmt: Statement<[string]>;
  private readonly countStmt: Statement<[string], { n: number }>;

  constructor(private readonly db: Database) {
    this.seenStmt = db.prepare('DELETE FROM resync_candidates WHERE kind = ? AND id = ?');
    this.clearStmt = db.prepare('DELETE FROM resync_candidates WHERE kind = ?');
    this.countStmt = db.prepare('SELECT count(*) AS n FROM resync_candidates WHERE kind = ?');
  }

  /** Lists the synced rows of `kind` as candidates (call inside the transaction that drops the cursor). */
  begin(kind: EntityKind): void {
    this.clearStmt.run(kind);
    this.db.prepare(`INSERT INTO resync_candidates (kind, id) SELECT ?, id FROM ${TABLE[kind].table} WHERE sync_state = 'synced'`).run(kind);
  }

  /** The feed sent this entity again (an upsert or a tombstone): it is no longer a candidate. */
  seen(kind: EntityKind, id: string): void {
    this.seenStmt.run(kind, id);
  }

  pending(kind: EntityKind): number {
    return this.countStmt.get(kind)?.n ?? 0;
  }

  /** The feed has caught up: the candidates still synced are gone from the server; returns how many rows left. */
  finish(kind: EntityKind): number {
    const t = TABLE[kind].table;
    const removed = this.db
      .prepare(
        `DELETE FROM ${t} WHERE sync_state = 'synced' AND id IN (SELECT id FROM resync_candidates WHERE kind = ?)
           AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.kind = ? AND o.entity_id = ${t}.id)
           AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.kind = ? AND c.entity_id = ${t}.id)`,
      )
      .run(kind, kind, kind).changes;
    this.clearStmt.run(kind);
    return removed;
  }
}
