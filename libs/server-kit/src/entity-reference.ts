import DataLoader from 'dataloader';
import { z } from 'zod';
import { loaderFor, type RequestContext } from './context.js';

const uuid = z.string().uuid();

/**
 * Entity ids are UUIDs: a representation with any other id names nothing
 * that can be stored, so it resolves to null rather than failing its batch.
 */
export function isEntityId(id: string): boolean {
  return uuid.safeParse(id).success;
}

/** Which of these ids the caller may read; one query for the whole batch. */
export type ReadableIds = (ids: readonly string[]) => Promise<ReadonlySet<string>>;

/**
 * Resolves an entity reference (`__resolveReference`) only when the caller
 * may read the entity, so fields a subgraph adds to another's entity
 * (`Session.patterns`, `Session.related`, …) reveal nothing about one it may
 * not read: the reference is null. The references of one request are
 * checked together, one `readable` call per entity type.
 */
export async function readableReference<R extends { id: string }>(context: RequestContext, typename: string, readable: ReadableIds, ref: R): Promise<R | null> {
  const loader = loaderFor(context, `readable-reference:${typename}`, () => new DataLoader<string, boolean>(async (ids) => {
    const found = await readable(ids.filter(isEntityId));
    return ids.map((id) => found.has(id));
  }));
  return (await loader.load(ref.id)) ? ref : null;
}
