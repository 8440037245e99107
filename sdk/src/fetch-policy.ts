import type { CachedEntity, LocalFilter, LocalOrder, SyncState } from './cache/entity-store.js';
import type { ClientContext } from './client-context.js';
import type { AnyEntity, EntityKind, EntityOf } from './entities.js';
import { isUnreachable, toSdkError } from './errors.js';

/**
 * - `network-first` (default): ask the gateway; when it cannot be reached, answer from the cache (`stale: true`);
 * - `cache-first`: the cache when it has the entity (lists: once the feeds were pulled), else the gateway;
 * - `cache-only`: never the network;
 * - `network-only`: the gateway or an error.
 * An entity with a queued local change, or an EPHEMERAL one, is read from the cache under every policy but
 * `network-only`: a client always reads its own writes.
 */
export type FetchPolicy = 'cache-first' | 'network-first' | 'cache-only' | 'network-only';

export interface ReadOptions {
  fetchPolicy?: FetchPolicy;
}

export interface ReadResult<T> {
  data: T | null;
  source: 'network' | 'cache';
  /** True when the cache answered because the gateway could not be reached. */
  stale: boolean;
  /** The cached row's state (null: not cached). */
  syncState: SyncState | null;
}

export interface ListOptions extends ReadOptions {
  first?: number;
  after?: string | null;
}

export interface ListResult<T> {
  nodes: T[];
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
  source: 'network' | 'cache';
  stale: boolean;
}

export async function readOne<K extends EntityKind>(core: ClientContext, kind: K, id: string, options: ReadOptions = {}): Promise<ReadResult<EntityOf[K]>> {
  const policy = options.fetchPolicy ?? 'network-first';
  const cached = core.store.entities.get(kind, id);
  const fromCache = (stale: boolean): ReadResult<EntityOf[K]> => {
    if (cached) core.store.entities.touch(kind, id);
    return { data: cached?.entity ?? null, source: 'cache', stale, syncState: cached?.syncState ?? null };
  };
  if (policy === 'cache-only') return fromCache(false);
  const ownWrite = cached?.syncState === 'pending' || cached?.syncState === 'local' || core.store.outbox.hasPending(kind, id);
  if (policy !== 'network-only' && ownWrite) return fromCache(false);
  if (policy === 'cache-first' && cached) return fromCache(false);

  let remote: EntityOf[K] | null;
  try {
    remote = (await core.remote.fetchEntity(kind, id)) as EntityOf[K] | null;
  } catch (err) {
    const error = toSdkError(err);
    if (policy !== 'network-only' && isUnreachable(error)) return fromCache(true);
    throw error;
  }
  if (remote === null) {
    core.store.applyServerDeletion(kind, id);
    return { data: null, source: 'network', stale: false, syncState: core.store.entities.get(kind, id)?.syncState ?? null };
  }
  core.store.applyServerCopy(kind, remote);
  return { data: remote, source: 'network', stale: false, syncState: core.store.entities.get(kind, id)?.syncState ?? null };
}

/**
 * `readOne` for many ids of one kind, in their order, with the same policies:
 * what the cache may answer is answered from it, the rest in one request per
 * 100 ids (the gateway's `…ByIds` fields) instead of one per id.
 */
export async function readMany<K extends EntityKind>(core: ClientContext, kind: K, ids: readonly string[], options: ReadOptions = {}): Promise<Array<ReadResult<EntityOf[K]>>> {
  const policy = options.fetchPolicy ?? 'network-first';
  const fromCache = (id: string, stale: boolean): ReadResult<EntityOf[K]> => {
    const cached = core.store.entities.get(kind, id);
    if (cached) core.store.entities.touch(kind, id);
    return { data: cached?.entity ?? null, source: 'cache', stale, syncState: cached?.syncState ?? null };
  };
  const answerFromCache = (id: string): boolean => {
    if (policy === 'cache-only') return true;
    const cached = core.store.entities.get(kind, id);
    const ownWrite = cached?.syncState === 'pending' || cached?.syncState === 'local' || core.store.outbox.hasPending(kind, id);
    return (policy !== 'network-only' && ownWrite) || (policy === 'cache-first' && cached !== undefined);
  };
  const results = new Map<string, ReadResult<EntityOf[K]>>();
  const ask = [...new Set(ids)].filter((id) => {
    if (!answerFromCache(id)) return true;
    results.set(id, fromCache(id, false));
    return false;
  });
  if (ask.length > 0) {
    let remote: Array<AnyEntity | null>;
    try {
      remote = await core.remote.fetchEntities(kind, ask);
    } catch (err) {
      const error = toSdkError(err);
      if (policy === 'network-only' || !isUnreachable(error)) throw error;
      remote = [];
      for (const id of ask) results.set(id, fromCache(id, true));
    }
    remote.forEach((entity, i) => {
      const id = ask[i]!;
      if (entity === null) core.store.applyServerDeletion(kind, id);
      else core.store.applyServerCopy(kind, entity);
      results.set(id, { data: entity as EntityOf[K] | null, source: 'network', stale: false, syncState: core.store.entities.get(kind, id)?.syncState ?? null });
    });
  }
  return ids.map((id) => results.get(id)!);
}

const CACHE_CURSOR = /^cache:(\d+)$/;

export interface ListPlan<K extends EntityKind> {
  filter: LocalFilter;
  order: LocalOrder;
  remote: (first: number, after: string | null) => Promise<{ nodes: Array<EntityOf[K]>; pageInfo: { endCursor: string | null; hasNextPage: boolean } }>;
}

/** A page from the cache; its cursor (`cache:<offset>`) only continues a cached list. */
function cachedPage<K extends EntityKind>(core: ClientContext, kind: K, plan: ListPlan<K>, first: number, offset: number, stale: boolean): ListResult<EntityOf[K]> {
  const rows: Array<CachedEntity<K>> = core.store.entities.list(kind, plan.filter, plan.order, first + 1, offset);
  const nodes = rows.slice(0, first).map((r) => r.entity);
  const hasNextPage = rows.length > first;
  return { nodes, pageInfo: { endCursor: nodes.length ? `cache:${offset + nodes.length}` : null, hasNextPage }, source: 'cache', stale };
}

export async function readList<K extends EntityKind>(core: ClientContext, kind: K, plan: ListPlan<K>, options: ListOptions = {}): Promise<ListResult<EntityOf[K]>> {
  const policy = options.fetchPolicy ?? 'network-first';
  const first = options.first ?? 20;
  const after = options.after ?? null;
  const cacheOffset = after === null ? 0 : CACHE_CURSOR.exec(after)?.[1];
  const pulledOnce = core.store.metadata.get('last-pull-at') !== undefined;
  if (policy === 'cache-only' || (after !== null && cacheOffset !== undefined) || (policy === 'cache-first' && pulledOnce)) {
    return cachedPage(core, kind, plan, first, Number(cacheOffset ?? 0), false);
  }
  let page: Awaited<ReturnType<ListPlan<K>['remote']>>;
  try {
    page = await plan.remote(first, after);
  } catch (err) {
    const error = toSdkError(err);
    if (policy !== 'network-only' && isUnreachable(error)) {
      // A server cursor cannot continue in the cache: an empty stale page ends the listing (list again without `after`).
      if (after !== null) return { nodes: [], pageInfo: { endCursor: null, hasNextPage: false }, source: 'cache', stale: true };
      return cachedPage(core, kind, plan, first, 0, true);
    }
    throw error;
  }
  const nodes = page.nodes.map((node) => {
    core.store.applyServerCopy(kind, node);
    const mine = core.store.entities.get(kind, node.id);
    return mine && (mine.syncState === 'pending' || mine.syncState === 'local') ? mine.entity : node;
  });
  if (after === null && policy !== 'network-only') {
    // Entities only this cache knows yet (EPHEMERAL, or created while the queue waits) come first.
    const known = new Set(nodes.map((n) => n.id));
    const unsent = core.store.entities
      .list(kind, { ...plan.filter, syncStates: ['local', 'pending'] }, plan.order, 1000, 0)
      .filter((r) => !known.has(r.entity.id) && (r.syncState === 'local' || core.store.outbox.hasCreate(kind, r.entity.id)))
      .map((r) => r.entity);
    nodes.unshift(...unsent);
  }
  return { nodes, pageInfo: page.pageInfo, source: 'network', stale: false };
}
