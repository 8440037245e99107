import { canRead } from '@memory-context/access';
import type { DocumentKind, VectorQuery } from './store.js';

/** The fields of a stored vector that access rules and filters read. */
export interface VectorMeta {
  id: string;
  kind: DocumentKind;
  submoduleId: string;
  privacyLevel: string;
  tags: readonly string[];
  createdAt: Date;
}

/** A list filter applies only when it names something: undefined and [] both mean "any". */
export function listFilter<T>(values: readonly T[] | undefined): readonly T[] | undefined {
  return values && values.length > 0 ? values : undefined;
}

/**
 * The one in-memory statement of the query semantics every store implements
 * in its own query language (and the contract tests check against):
 * readable by the actor (canRead), kind ∈ kinds, submodule ∈ submodules,
 * privacy ∈ privacyLevels, all of tags, from ≤ createdAt < to, id ∉ excludeIds.
 */
export function matchesQuery(meta: VectorMeta, query: VectorQuery): boolean {
  if (!canRead(query.actor, meta)) return false;
  const kinds = listFilter(query.kinds);
  if (kinds && !kinds.includes(meta.kind)) return false;
  const submodules = listFilter(query.submodules);
  if (submodules && !submodules.includes(meta.submoduleId)) return false;
  const levels = listFilter(query.privacyLevels);
  if (levels && !levels.includes(meta.privacyLevel)) return false;
  const tags = listFilter(query.tags);
  if (tags && !tags.every((t) => meta.tags.includes(t))) return false;
  if (query.from && meta.createdAt.getTime() < query.from.getTime()) return false;
  if (query.to && meta.createdAt.getTime() >= query.to.getTime()) return false;
  const excluded = listFilter(query.excludeIds);
  if (excluded && excluded.includes(meta.id)) return false;
  return true;
}
