import { and, desc, eq, lt, or, type SQL } from 'drizzle-orm';
import { patterns } from '@memory-context/db';
import { decodeCursor, encodeCursor, MemctxError } from '@memory-context/protocol';

export type PatternOrder = 'OCCURRENCES' | 'USAGE' | 'RECENT';
type PatternRow = typeof patterns.$inferSelect;

const COLUMNS = { OCCURRENCES: patterns.occurrences, USAGE: patterns.usageCount, RECENT: patterns.lastSeenAt } as const;

function keyOf(order: PatternOrder, row: PatternRow): number | string {
  if (order === 'OCCURRENCES') return row.occurrences;
  if (order === 'USAGE') return row.usageCount;
  return row.lastSeenAt.toISOString();
}

export function orderBy(order: PatternOrder): SQL[] {
  return [desc(COLUMNS[order]), desc(patterns.id)];
}

export function encodePatternCursor(order: PatternOrder, row: PatternRow): string {
  return encodeCursor('page', [order, keyOf(order, row), row.id]);
}

/** Keyset condition "after this row" for the ordering; the cursor must come from the same ordering. */
export function afterCondition(order: PatternOrder, after: string | null | undefined): SQL | undefined {
  if (after === null || after === undefined || after === '') return undefined;
  const value = decodeCursor('page', after);
  if (!Array.isArray(value) || value[0] !== order || typeof value[2] !== 'string') {
    throw new MemctxError('BAD_USER_INPUT', 'Invalid `after` cursor: pass the `pageInfo.endCursor` of a previous page with the same `orderBy`.');
  }
  const column = COLUMNS[order];
  const key = order === 'RECENT' ? new Date(String(value[1])) : Number(value[1]);
  if (order === 'RECENT' ? Number.isNaN((key as Date).getTime()) : !Number.isFinite(key)) {
    throw new MemctxError('BAD_USER_INPUT', 'Invalid `after` cursor.');
  }
  return or(lt(column, key), and(eq(column, key), lt(patterns.id, value[2]))) as SQL;
}
