/**
 * Cursors are opaque to clients: base64url of a tagged JSON value, so a
 * change-feed cursor cannot be passed where a page cursor is expected.
 */
export type CursorKind = 'feed' | 'page';

export function encodeCursor(kind: CursorKind, value: unknown): string {
  return Buffer.from(JSON.stringify({ k: kind, v: value }), 'utf8').toString('base64url');
}

/** Returns undefined for anything that is not a cursor of this kind. */
export function decodeCursor(kind: CursorKind, cursor: string): unknown {
  if (cursor.length > 512) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && (parsed as { k?: unknown }).k === kind) {
      return (parsed as { v?: unknown }).v;
    }
  } catch {
    // fall through: not a cursor
  }
  return undefined;
}
