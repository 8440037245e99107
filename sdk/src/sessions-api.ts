import type { ClientContext } from './client-context.js';
import type { DeleteOptions, NewSession, Session, SessionPatch } from './entities.js';
import { SdkError } from './errors.js';
import { readList, readMany, readOne, type ListOptions, type ListResult, type ReadOptions, type ReadResult } from './fetch-policy.js';
import { ListSessionsDocument, type SessionFilter } from './generated/graphql.js';
import { createSession, deleteEntity, updateSession } from './local-writes.js';

export interface SessionsApi {
  /** Caches and queues the session; returns the local copy with its client-generated UUIDv7 at once, online or not. */
  create(input: NewSession): Promise<Session>;
  get(id: string, options?: ReadOptions): Promise<ReadResult<Session>>;
  /** `get` for many ids at once, in their order: one request per 100 ids for what the cache may not answer. */
  getMany(ids: readonly string[], options?: ReadOptions): Promise<Array<ReadResult<Session>>>;
  /** Newest first, like the gateway. */
  list(filter?: SessionFilter | null, options?: ListOptions): Promise<ListResult<Session>>;
  /** Applies the patch to the cached copy and queues it with the version it was based on (`baseVersion`). */
  update(id: string, patch: SessionPatch): Promise<Session>;
  delete(id: string, options?: DeleteOptions): Promise<void>;
}

export function sessionsApi(core: ClientContext): SessionsApi {
  return {
    async create(input) {
      return createSession(core, input);
    },
    get(id, options) {
      return readOne(core, 'session', id, options);
    },
    getMany(ids, options) {
      return readMany(core, 'session', ids, options);
    },
    list(filter, options) {
      return readList(
        core,
        'session',
        {
          filter: { submodules: filter?.submodules, privacyLevels: filter?.privacyLevels, tags: filter?.tags, from: filter?.from, to: filter?.to },
          order: { by: 'sort' },
          remote: async (first, after) => (await core.remote.request(ListSessionsDocument, { filter: filter ?? null, first, after })).sessions,
        },
        options,
      );
    },
    async update(id, patch) {
      let cached = core.store.entities.get('session', id);
      if (!cached) {
        // Not cached: the update needs the version it is based on.
        await readOne(core, 'session', id, { fetchPolicy: 'network-first' });
        cached = core.store.entities.get('session', id);
      }
      if (!cached) throw new SdkError('NOT_CACHED', `Session ${id} is not in the cache and the gateway could not provide it.`);
      return updateSession(core, cached.entity, cached.syncState, patch);
    },
    async delete(id, options) {
      deleteEntity(core, 'session', id, options);
    },
  };
}
