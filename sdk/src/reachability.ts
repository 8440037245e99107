import { isUnreachable, type SdkError, type SdkErrorCode } from './errors.js';

/**
 * What `sync()`, `flush()` and `pull()` add to their result instead of
 * throwing when the gateway could not be asked (ARCHITECTURE §10).
 */
export interface Reachability {
  /** False when the gateway could not be asked: the network, the gateway or its database is down, or no URL/token is set. */
  online: boolean;
  /** Why the call stopped short, as a sentence (null: it did all it had to). */
  reason: string | null;
  /** The SdkError code behind `reason` (NETWORK_ERROR, NOT_CONFIGURED, UNAVAILABLE, UNAUTHENTICATED, …). */
  code: SdkErrorCode | null;
}

/**
 * `stoppedBy`: what ended this call early (null: nothing). `lastUnreachable`:
 * the last request that could not reach the gateway, if no request has
 * answered since; it speaks for a call that needed no request at all.
 */
export function reachability(stoppedBy: SdkError | null, lastUnreachable: SdkError | null): Reachability {
  const error = stoppedBy ?? lastUnreachable;
  if (!error) return { online: true, reason: null, code: null };
  return { online: !isUnreachable(error), reason: error.message, code: error.code };
}
