import { ERROR_CODES, PERMANENT_CODES, type ErrorCode } from '@memory-context/protocol';

/**
 * Codes the SDK adds to the server's closed set (ARCHITECTURE §9). They never
 * come from the gateway; they describe this machine: the network, the cache
 * file, the client's configuration.
 */
export const SDK_ERROR_CODES = [
  /** The gateway could not be reached or did not answer (connection refused, timeout, non-GraphQL 5xx). */
  'NETWORK_ERROR',
  /** No gateway URL or token is configured: the client works from its cache alone. */
  'NOT_CONFIGURED',
  /** The cache file is not a readable SQLite database, or SQLite found it damaged. */
  'CACHE_CORRUPT',
  /** The cache path holds an SQLite database of another application. */
  'CACHE_FOREIGN',
  /** The cache was written by a newer SDK whose schema this one does not know. */
  'CACHE_TOO_NEW',
  /** The client was closed. */
  'CLIENT_CLOSED',
  /** An entity is not in the cache and the network could not be asked. */
  'NOT_CACHED',
  /** A client option or environment variable is invalid. */
  'INVALID_OPTIONS',
] as const;
export type SdkLocalCode = (typeof SDK_ERROR_CODES)[number];

export type SdkErrorCode = ErrorCode | SdkLocalCode;

/**
 * The one error class of the SDK: a server error keeps its `extensions.code`
 * (and extensions as `details`), a local failure gets one of SDK_ERROR_CODES.
 */
export class SdkError extends Error {
  readonly code: SdkErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: SdkErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SdkError';
    this.code = code;
    this.details = details;
  }
}

export function isSdkError(error: unknown, code?: SdkErrorCode): error is SdkError {
  return error instanceof SdkError && (code === undefined || error.code === code);
}

/** Normalizes anything thrown into an SdkError; unknown causes become `fallback`. */
export function toSdkError(error: unknown, fallback: SdkErrorCode = 'INTERNAL'): SdkError {
  if (error instanceof SdkError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new SdkError(fallback, message, {}, { cause: error });
}

/**
 * What the outbox does with a write that failed with this error
 * (ARCHITECTURE §6): `retry` keeps it queued with backoff, `pause` keeps the
 * whole queue until the client is reconfigured (a bad or expired token is
 * not the write's fault, so nothing is set aside), `reject` sets it aside,
 * `conflict` keeps the server copy and the local change apart.
 */
export type FailureHandling = 'retry' | 'pause' | 'reject' | 'conflict';

export function failureHandling(error: SdkError): FailureHandling {
  if (error.code === 'CONFLICT') return 'conflict';
  if (error.code === 'UNAUTHENTICATED' || error.code === 'NOT_CONFIGURED') return 'pause';
  if ((PERMANENT_CODES as ReadonlySet<string>).has(error.code)) return 'reject';
  if (error.code === 'NETWORK_ERROR' || error.code === 'INTERNAL' || error.code === 'RATE_LIMITED') return 'retry';
  // A code outside the closed set: trust the HTTP status the transport saw.
  const status = error.details.httpStatus;
  return typeof status === 'number' && status >= 400 && status < 500 ? 'reject' : 'retry';
}

/** True for errors that mean "the server could not be asked" rather than "the server said no". */
export function isUnreachable(error: SdkError): boolean {
  return error.code === 'NETWORK_ERROR' || error.code === 'NOT_CONFIGURED' || failureHandling(error) === 'retry';
}

export function isServerCode(code: string): code is ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(code);
}
