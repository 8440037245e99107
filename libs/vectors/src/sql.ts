import { sql, type SQL } from 'drizzle-orm';
import { readableBy } from '@memory-context/db';
import { MemctxError } from '@memory-context/protocol';
import { listFilter } from './filter.js';
import type { VectorQuery } from './store.js';

/** A Postgres array literal for a text[] parameter (drizzle would expand a JS array into a list). */
export function textArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

/** pgvector's text form of a vector. */
export function vectorLiteral(v: Float32Array): string {
  return `[${Array.from(v).join(',')}]`;
}

/** Parses pgvector's text form. */
export function parseVector(text: string): Float32Array {
  const body = text.trim().replace(/^\[|\]$/g, '');
  return body ? Float32Array.from(body.split(','), Number) : new Float32Array(0);
}

/**
 * The WHERE clause of a vector query over a table with the columns id, kind,
 * submodule_id, privacy_level, tags, created_at: the access rule
 * (readableBy) and every filter, so a document the actor may not read is
 * never a candidate.
 */
export function whereClause(q: VectorQuery): SQL {
  const parts: SQL[] = [readableBy(q.actor, { privacyLevel: sql`privacy_level`, submoduleId: sql`submodule_id` })];
  const kinds = listFilter(q.kinds);
  if (kinds) parts.push(sql`kind = any(${textArray(kinds)}::text[])`);
  const submodules = listFilter(q.submodules);
  if (submodules) parts.push(sql`submodule_id = any(${textArray(submodules)}::text[])`);
  const levels = listFilter(q.privacyLevels);
  if (levels) parts.push(sql`privacy_level = any(${textArray(levels)}::text[])`);
  const tags = listFilter(q.tags);
  if (tags) parts.push(sql`tags @> ${textArray(tags)}::text[]`);
  if (q.from) parts.push(sql`created_at >= ${q.from.toISOString()}::timestamptz`);
  if (q.to) parts.push(sql`created_at < ${q.to.toISOString()}::timestamptz`);
  const excluded = listFilter(q.excludeIds);
  if (excluded) parts.push(sql`not (id = any(${textArray(excluded)}::uuid[]))`);
  return sql.join(parts, sql` and `);
}

/** Refuses a vector of the wrong size or with non-finite numbers. */
export function checkVector(v: Float32Array, dimensions: number, id: string): void {
  if (v.length !== dimensions) {
    throw new MemctxError('INTERNAL', `The vector of ${id} has ${v.length} dimensions; the store holds ${dimensions}-dimensional vectors.`);
  }
  for (let k = 0; k < v.length; k++) {
    if (!Number.isFinite(v[k])) throw new MemctxError('INTERNAL', `The vector of ${id} has a non-finite component.`);
  }
}

export function notReady(store: string, reason: string): MemctxError {
  return new MemctxError('INTERNAL', `The ${store} vector store is not ready: ${reason}`);
}

/** The metadata table every Postgres-backed store shares (one row per store). */
export const META_DDL = sql`create table if not exists search.vector_meta (
  store text primary key,
  model_id text not null,
  dimensions integer not null,
  epoch text not null,
  generation bigint not null default 0,
  updated_at timestamptz not null default now()
)`;

/** Advisory-lock key of vector-store DDL ("memctx-v"). */
export const DDL_LOCK_KEY = 0x6d6d7476;

/** Ids of records that appear more than once in one upsert keep their last version. */
export function lastPerId<T extends { id: string }>(records: readonly T[]): T[] {
  const byId = new Map<string, T>();
  for (const r of records) byId.set(r.id, r);
  return [...byId.values()];
}
