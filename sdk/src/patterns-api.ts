import type { ClientContext } from './client-context.js';
import type { DeleteOptions, NewPattern, Pattern } from './entities.js';
import { readList, readMany, readOne, type ListOptions, type ListResult, type ReadOptions, type ReadResult } from './fetch-policy.js';
import { ListPatternsDocument, type PatternFilter, type PatternOrder } from './generated/graphql.js';
import { deleteEntity, recordPattern, usePattern } from './local-writes.js';

export interface PatternListOptions extends ListOptions {
  orderBy?: PatternOrder;
}

export interface PatternsApi {
  /**
   * Records a lesson (`recordPattern`). The server may merge it into an equal
   * pattern; the cache then follows the existing pattern's id once synced.
   */
  create(input: NewPattern): Promise<Pattern>;
  /** The same as `create`, named like the mutation. */
  record(input: NewPattern): Promise<Pattern>;
  /** Counts one use (`usePattern`). Returns the cached copy with the count raised, if cached. */
  use(id: string): Promise<Pattern | null>;
  get(id: string, options?: ReadOptions): Promise<ReadResult<Pattern>>;
  /** `get` for many ids at once, in their order: one request per 100 ids for what the cache may not answer. */
  getMany(ids: readonly string[], options?: ReadOptions): Promise<Array<ReadResult<Pattern>>>;
  list(filter?: PatternFilter | null, options?: PatternListOptions): Promise<ListResult<Pattern>>;
  delete(id: string, options?: DeleteOptions): Promise<void>;
}

const ORDER_FIELD = { RECENT: undefined, USAGE: 'usageCount', OCCURRENCES: 'occurrences' } as const;

export function patternsApi(core: ClientContext): PatternsApi {
  const create = async (input: NewPattern) => recordPattern(core, input);
  return {
    create,
    record: create,
    async use(id) {
      return usePattern(core, id) ?? null;
    },
    get(id, options) {
      return readOne(core, 'pattern', id, options);
    },
    getMany(ids, options) {
      return readMany(core, 'pattern', ids, options);
    },
    list(filter, options = {}) {
      const field = ORDER_FIELD[options.orderBy ?? 'RECENT'];
      return readList(
        core,
        'pattern',
        {
          filter: {
            submodules: filter?.submodules,
            privacyLevels: filter?.privacyLevels,
            tags: filter?.tags,
            fields: filter?.kinds?.length ? { kind: filter.kinds } : {},
            atLeast: typeof filter?.minOccurrences === 'number' ? { occurrences: filter.minOccurrences } : {},
          },
          order: field ? { by: 'field', field } : { by: 'sort' },
          remote: async (first, after) =>
            (await core.remote.request(ListPatternsDocument, { filter: filter ?? null, orderBy: options.orderBy ?? null, first, after })).patterns,
        },
        options,
      );
    },
    async delete(id, options) {
      deleteEntity(core, 'pattern', id, options);
    },
  };
}
