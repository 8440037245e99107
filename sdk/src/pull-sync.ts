import { inTransaction, type ClientCore } from './core.js';
import { ENTITY_KINDS, type AnyEntity, type EntityKind } from './entities.js';
import { toSdkError, type SdkError } from './errors.js';
import { evict } from './eviction.js';
import { PullChangesDocument, type PullChangesQuery } from './generated/graphql.js';
import { applyServerCopy, applyServerDeletion } from './server-copies.js';

export interface PullProgress {
  /** Requests made so far (each carries up to `pageSize` changes of every feed still behind). */
  pages: number;
  /** Changes received so far, per feed. */
  received: Record<EntityKind, number>;
}

export interface PullResult extends PullProgress {
  upserted: number;
  deleted: number;
  /** Changes not applied because a local write for the entity is still queued. */
  skipped: number;
  evicted: Record<EntityKind, number>;
  /** When the feeds were caught up (null: the pull stopped early; the pages applied so far stay). */
  pulledAt: string | null;
  /** Why the pull stopped early: the gateway could not be asked, or refused (null: it caught up). */
  stoppedBy: SdkError | null;
}

export function emptyPullResult(stoppedBy: SdkError | null = null): PullResult {
  return {
    pages: 0,
    received: { session: 0, pattern: 0, checkpoint: 0 },
    upserted: 0,
    deleted: 0,
    skipped: 0,
    evicted: { session: 0, pattern: 0, checkpoint: 0 },
    pulledAt: null,
    stoppedBy,
  };
}

const FEED = { session: 'sessionChanges', pattern: 'patternChanges', checkpoint: 'checkpointChanges' } as const;
const CURSOR = { session: 'cursor:session', pattern: 'cursor:pattern', checkpoint: 'cursor:checkpoint' } as const;
/** When a resync of the feed from its beginning started (ms): copies cached before it and not delivered again go. */
const RESYNC = { session: 'resync:session', pattern: 'resync:pattern', checkpoint: 'resync:checkpoint' } as const;

type FeedPage = NonNullable<PullChangesQuery['sessionChanges'] | PullChangesQuery['patternChanges'] | PullChangesQuery['checkpointChanges']>;

/**
 * Pull sync (ARCHITECTURE §6): the three change feeds from the stored
 * cursors, in one gateway request per page; each page is applied, with its
 * cursors, in one SQLite transaction (while the next page is requested), so a
 * pull cut short resumes where it stopped. Tombstones delete; then the cache
 * is evicted down to its limits. A failed gateway request ends the pull with
 * `stoppedBy` instead of throwing; a failure of the cache file still throws.
 * A feed that answers CURSOR_EXPIRED (compacted past the stored cursor) is
 * read again from its beginning, once per pull; queued writes are untouched.
 */
export async function pull(core: ClientCore, onProgress?: (progress: PullProgress) => void): Promise<PullResult> {
  const behind: Record<EntityKind, boolean> = { session: true, pattern: true, checkpoint: true };
  const result = emptyPullResult();
  const cursors: Record<EntityKind, string | null> = {
    session: core.metadata.get(CURSOR.session) ?? null,
    pattern: core.metadata.get(CURSOR.pattern) ?? null,
    checkpoint: core.metadata.get(CURSOR.checkpoint) ?? null,
  };
  const request = () =>
    core.transport.request(PullChangesDocument, {
      sessionsAfter: cursors.session,
      patternsAfter: cursors.pattern,
      checkpointsAfter: cursors.checkpoint,
      limit: core.options.pageSize,
      withSessions: behind.session,
      withPatterns: behind.pattern,
      withCheckpoints: behind.checkpoint,
    });
  let next: Promise<PullChangesQuery> | undefined = request();
  const resynced = new Set<EntityKind>();
  while (next) {
    let data: PullChangesQuery;
    try {
      data = await next;
    } catch (err) {
      const error = toSdkError(err);
      const expired = error.code === 'CURSOR_EXPIRED' ? ENTITY_KINDS.find((k) => FEED[k] === error.details.feed) : undefined;
      if (!expired || resynced.has(expired)) {
        result.stoppedBy = error;
        return result;
      }
      resynced.add(expired);
      core.metadata.set(RESYNC[expired], String(core.now()));
      core.metadata.set(CURSOR[expired], undefined);
      cursors[expired] = null;
      behind[expired] = true;
      next = request();
      continue;
    }
    for (const kind of ENTITY_KINDS) {
      const page = data[FEED[kind]];
      if (page) cursors[kind] = page.cursor;
      if (!page || !page.hasMore) behind[kind] = false;
    }
    // The next page is on its way while this one is applied.
    next = ENTITY_KINDS.some((k) => behind[k]) ? request() : undefined;
    next?.catch(() => undefined); // awaited on the next turn; an error there ends the pull
    inTransaction(core, () => {
      for (const kind of ENTITY_KINDS) {
        const page: FeedPage | undefined = data[FEED[kind]];
        if (!page) continue;
        applyPage(core, kind, page, result);
        core.metadata.set(CURSOR[kind], page.cursor);
      }
    });
    result.pages++;
    onProgress?.({ pages: result.pages, received: { ...result.received } });
  }
  result.pulledAt = new Date(core.now()).toISOString();
  core.metadata.set('last-pull-at', result.pulledAt);
  for (const kind of ENTITY_KINDS) {
    const resyncFrom = core.metadata.get(RESYNC[kind]);
    if (resyncFrom === undefined) continue;
    inTransaction(core, () => {
      result.deleted += core.store.removeServerCopiesCachedBefore(kind, Number(resyncFrom));
      core.metadata.set(RESYNC[kind], undefined);
    });
  }
  core.store.flushTouches();
  result.evicted = evict(core.db, core.options, core.now());
  return result;
}

function applyPage(core: ClientCore, kind: EntityKind, page: FeedPage, result: PullResult): void {
  for (const change of page.changes) {
    result.received[kind]++;
    const entity = change.entity as AnyEntity | null;
    const applied = change.op === 'UPSERT' && entity ? applyServerCopy(core, kind, entity) : applyServerDeletion(core, kind, change.id);
    if (applied) {
      if (change.op === 'UPSERT' && entity) result.upserted++;
      else result.deleted++;
    } else if (core.outbox.hasPending(kind, change.id)) {
      result.skipped++;
    }
  }
}
