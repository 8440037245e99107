/** The closed set of `extensions.code` values every GraphQL error carries (ARCHITECTURE §9). */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  EPHEMERAL_NOT_PERSISTED: 'EPHEMERAL_NOT_PERSISTED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  RATE_LIMITED: 'RATE_LIMITED',
  /** A database or subgraph could not be reached: retryable, names the service, never an internal address. */
  UNAVAILABLE: 'UNAVAILABLE',
  /**
   * A change-feed cursor older than the feed's compaction horizon: the changes
   * after it are gone. `extensions.feed` names the feed; read it again without
   * `after` (and drop what was cached from it) to resync.
   */
  CURSOR_EXPIRED: 'CURSOR_EXPIRED',
  INTERNAL: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const ERROR_CODES: readonly ErrorCode[] = Object.values(ErrorCode);

/** HTTP status a code maps to when an error ends the whole request. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  EPHEMERAL_NOT_PERSISTED: 422,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  CURSOR_EXPIRED: 410,
  INTERNAL: 500,
};

/**
 * Codes a client must not retry: the write is wrong, not the network.
 * The SDK sets such writes aside as rejected (ARCHITECTURE §6).
 */
export const PERMANENT_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'EPHEMERAL_NOT_PERSISTED',
  'PAYLOAD_TOO_LARGE',
]);

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
