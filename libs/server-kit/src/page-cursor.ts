import { decodeCursor, encodeCursor, MemctxError } from '@memory-context/protocol';

/** Keyset position in a list ordered by (created_at desc, id desc). */
export interface PagePosition {
  createdAt: string;
  id: string;
}

export function encodePageCursor(position: { createdAt: Date; id: string }): string {
  return encodeCursor('page', [position.createdAt.toISOString(), position.id]);
}

export function decodePageCursor(after: string | null | undefined): PagePosition | undefined {
  if (after === null || after === undefined || after === '') return undefined;
  const value = decodeCursor('page', after);
  if (Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'string' && !Number.isNaN(Date.parse(value[0]))) {
    return { createdAt: value[0], id: value[1] };
  }
  throw new MemctxError('BAD_USER_INPUT', 'Invalid `after` cursor: pass the `pageInfo.endCursor` of a previous page.');
}

export const MAX_PAGE_SIZE = 100;

export function pageSize(first: number | null | undefined, fallback = 20): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) {
    throw new MemctxError('BAD_USER_INPUT', `\`first\` must be between 1 and ${MAX_PAGE_SIZE}.`);
  }
  return n;
}
