import type { LocalStore } from './cache/local-store.js';
import type { MetadataKey } from './cache/metadata.js';
import { isoNow, type Clock } from './clock.js';
import type { ResolvedOptions } from './config.js';
import { ENTITY_KINDS, type AnyEntity, type EntityKind } from './entities.js';
import { toSdkError, type SdkError } from './errors.js';
import type { PullChangesQuery } from './generated/graphql.js';
import type { Remote } from './remote.js';

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
  /** Feeds pulled again from scratch because the server had compacted past their cursor (CURSOR_EXPIRED). */
  resynced: EntityKind[];
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
    resynced: [],
    pulledAt: null,
    stoppedBy,
  };
}

export type PullerOptions = Pick<ResolvedOptions, 'pageSize' | 'maxSessions' | 'maxPatterns' | 'maxCheckpoints' | 'maxAgeDays'>;

export interface PullerParts {
  store: LocalStore;
  remote: Remote;
  clock: Clock;
  options: PullerOptions;
}

export interface PullerCallbacks {
  onProgress?: (progress: PullProgress) => void;
}

const FEED = { session: 'sessionChanges', pattern: 'patternChanges', checkpoint: 'checkpointChanges' } as const;
const CURSOR: Record<EntityKind, MetadataKey> = { session: 'cursor:session', pattern: 'cursor:pattern', checkpoint: 'cursor:checkpoint' };
const RESYNC: Record<EntityKind, MetadataKey> = { session: 'resync:session', pattern: 'resync:pattern', checkpoint: 'resync:checkpoint' };

type FeedPage = NonNullable<PullChangesQuery['sessionChanges'] | PullChangesQuery['patternChanges'] | PullChangesQuery['checkpointChanges']>;

/**
 * The feeds an expired-cursor error is about: the one `extensions.feed` or
 * the error's path names, else every feed that sent a cursor. None when the
 * error is another one.
 */
function expiredFeeds(error: SdkError, cursors: Record<EntityKind, string | null>): EntityKind[] {
  if (error.code !== 'CURSOR_EXPIRED') return [];
  const path = Array.isArray(error.details.path) ? error.details.path : [];
  const named = ENTITY_KINDS.filter((kind) => error.details.feed === FEED[kind] || path.includes(FEED[kind]));
  return named.length > 0 ? named : ENTITY_KINDS.filter((kind) => cursors[kind] !== null);
}

/**
 * Pull sync (ARCHITECTURE §6): the three change feeds from the stored
 * cursors, in one gateway request per page; each page is applied, with its
 * cursors, in one SQLite transaction (while the next page is requested), so a
 * pull cut short resumes where it stopped. Tombstones delete; then the cache
 * is evicted down to its limits. A failed gateway request ends the pull with
 * `stoppedBy` instead of throwing; a failure of the cache file still throws.
 *
 * CURSOR_EXPIRED (the server compacted the feed past the cursor): that feed
 * is pulled again from scratch, and the synced rows it does not send again
 * leave the cache once it has caught up (cache/resync.ts), so the cache ends
 * as a fresh client's would; queued writes, conflicts and EPHEMERAL rows stay.
 */
export async function pull(parts: PullerParts, callbacks: PullerCallbacks = {}): Promise<PullResult> {
  const { store, remote, clock, options } = parts;
  const behind: Record<EntityKind, boolean> = { session: true, pattern: true, checkpoint: true };
  const result = emptyPullResult();
  const cursors = {} as Record<EntityKind, string | null>;
  const resyncing = new Set<EntityKind>();
  for (const kind of ENTITY_KINDS) {
    cursors[kind] = store.metadata.get(CURSOR[kind]) ?? null;
    if (store.metadata.get(RESYNC[kind]) !== undefined) resyncing.add(kind); // a resync cut short goes on
  }
  const request = () =>
    remote.pullPage({
      sessionsAfter: cursors.session,
      patternsAfter: cursors.pattern,
      checkpointsAfter: cursors.checkpoint,
      limit: options.pageSize,
      withSessions: behind.session,
      withPatterns: behind.pattern,
      withCheckpoints: behind.checkpoint,
    });
  let next: Promise<PullChangesQuery> | undefined = request();
  while (next) {
    let data: PullChangesQuery;
    try {
      data = await next;
    } catch (err) {
      const error = toSdkError(err);
      const expired = expiredFeeds(error, cursors).filter((k) => !result.resynced.includes(k));
      if (expired.length === 0) {
        result.stoppedBy = error;
        return result;
      }
      store.transaction(() => {
        for (const kind of expired) {
          store.resync.begin(kind);
          store.metadata.set(CURSOR[kind], undefined);
          store.metadata.set(RESYNC[kind], isoNow(clock));
        }
      });
      for (const kind of expired) {
        cursors[kind] = null;
        behind[kind] = true;
        resyncing.add(kind);
        result.resynced.push(kind);
      }
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
    store.transaction(() => {
      for (const kind of ENTITY_KINDS) {
        const page: FeedPage | undefined = data[FEED[kind]];
        if (!page) continue;
        applyPage(store, kind, page, result, resyncing.has(kind));
        store.metadata.set(CURSOR[kind], page.cursor);
        if (resyncing.has(kind) && !behind[kind]) {
          result.deleted += store.finishResync(kind);
          store.metadata.set(RESYNC[kind], undefined);
          resyncing.delete(kind);
        }
      }
    });
    result.pages++;
    callbacks.onProgress?.({ pages: result.pages, received: { ...result.received } });
  }
  result.pulledAt = isoNow(clock);
  store.metadata.set('last-pull-at', result.pulledAt);
  result.evicted = store.evict(options);
  return result;
}

function applyPage(store: LocalStore, kind: EntityKind, page: FeedPage, result: PullResult, resyncing: boolean): void {
  for (const change of page.changes) {
    result.received[kind]++;
    if (resyncing) store.resync.seen(kind, change.id);
    const entity = change.entity as AnyEntity | null;
    const applied = change.op === 'UPSERT' && entity ? store.applyServerCopy(kind, entity) : store.applyServerDeletion(kind, change.id);
    if (applied) {
      if (change.op === 'UPSERT' && entity) result.upserted++;
      else result.deleted++;
    } else if (store.outbox.hasPending(kind, change.id)) {
      result.skipped++;
    }
  }
}
