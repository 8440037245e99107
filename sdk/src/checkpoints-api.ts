import type { ClientContext } from './client-context.js';
import type { Checkpoint, DeleteOptions, NewCheckpoint } from './entities.js';
import { readList, readMany, readOne, type ListOptions, type ListResult, type ReadOptions, type ReadResult } from './fetch-policy.js';
import { ListCheckpointsDocument, type CheckpointFilter } from './generated/graphql.js';
import { createCheckpoint, deleteEntity } from './local-writes.js';

export interface CheckpointsApi {
  /** Caches and queues the checkpoint. A checkpoint is immutable: there is no update. */
  create(input: NewCheckpoint): Promise<Checkpoint>;
  get(id: string, options?: ReadOptions): Promise<ReadResult<Checkpoint>>;
  /** `get` for many ids at once, in their order: one request per 100 ids for what the cache may not answer. */
  getMany(ids: readonly string[], options?: ReadOptions): Promise<Array<ReadResult<Checkpoint>>>;
  /** Most recently taken first. */
  list(filter?: CheckpointFilter | null, options?: ListOptions): Promise<ListResult<Checkpoint>>;
  delete(id: string, options?: DeleteOptions): Promise<void>;
}

export function checkpointsApi(core: ClientContext): CheckpointsApi {
  return {
    async create(input) {
      return createCheckpoint(core, input);
    },
    get(id, options) {
      return readOne(core, 'checkpoint', id, options);
    },
    getMany(ids, options) {
      return readMany(core, 'checkpoint', ids, options);
    },
    list(filter, options) {
      return readList(
        core,
        'checkpoint',
        {
          filter: {
            submodules: filter?.submodules,
            privacyLevels: filter?.privacyLevels,
            from: filter?.from,
            to: filter?.to,
            fields: filter?.gitRef ? { gitRef: [filter.gitRef] } : {},
          },
          order: { by: 'sort' },
          remote: async (first, after) => (await core.remote.request(ListCheckpointsDocument, { filter: filter ?? null, first, after })).checkpoints,
        },
        options,
      );
    },
    async delete(id, options) {
      deleteEntity(core, 'checkpoint', id, options);
    },
  };
}
