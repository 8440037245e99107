import { MemctxError } from '@memory-context/protocol';

/** Driver and socket codes of a database connection that failed or dropped (postgres.js, Node's net). */
const CONNECTION_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** SQLSTATEs of a server that is restarting or full: connection exceptions (08…), shutdown (57P01–57P03), too many connections. */
function unavailableSqlState(code: string): boolean {
  return code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300';
}

/**
 * Whether the error, or one of its causes, says the database could not be reached.
 * Judged by shape, not `instanceof Error`: an error made in another realm (Node's
 * socket errors seen from a vm context) is not an Error there, and graphql-js then
 * wraps it as a "non-error" whose `thrownValue` is the real one.
 */
export function isConnectionFailure(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const { code, errors, cause, thrownValue } = current as { code?: unknown; errors?: unknown; cause?: unknown; thrownValue?: unknown };
    if (typeof code === 'string' && (CONNECTION_CODES.has(code) || unavailableSqlState(code))) return true;
    if (Array.isArray(errors) && errors.some(isConnectionFailure)) return true;
    current = cause ?? thrownValue;
  }
  return false;
}

/**
 * UNAVAILABLE for a database outage. The driver's message names the host and
 * port, so it goes to the logs (as the cause), never to the caller; the error
 * formatter adds the service name.
 */
export function databaseUnavailable(cause: unknown): MemctxError {
  return new MemctxError('UNAVAILABLE', 'The database cannot be reached; try again later.', { dependency: 'database', retryable: true }, { cause });
}
