import { decodeCursor, encodeCursor, MemctxError } from '@memory-context/protocol';

/**
 * Keyset position in the checkpoint list, ordered by (taken_at desc, id desc).
 * Its own shape (an object, not the sessions' pair), so a cursor of another
 * list is refused instead of being read as a position here.
 */
export interface CheckpointPosition {
  takenAt: Date;
  id: string;
}

export function encodeCheckpointCursor(position: { takenAt: Date; id: string }): string {
  return encodeCursor('page', { takenAt: position.takenAt.toISOString(), id: position.id });
}

export function decodeCheckpointCursor(after: string | null | undefined): CheckpointPosition | undefined {
  if (after === null || after === undefined || after === '') return undefined;
  const value = decodeCursor('page', after) as { takenAt?: unknown; id?: unknown } | undefined;
  if (value && typeof value === 'object' && typeof value.takenAt === 'string' && typeof value.id === 'string') {
    const takenAt = new Date(value.takenAt);
    if (!Number.isNaN(takenAt.getTime())) return { takenAt, id: value.id };
  }
  throw new MemctxError('BAD_USER_INPUT', 'Invalid `after` cursor: pass the `pageInfo.endCursor` of a previous `checkpoints` page.');
}
