import { types } from 'node:util';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';

type Fetcher = RemoteGraphQLDataSource['fetcher'];

/** A subgraph that could not be reached; `code` is the socket error's (ECONNREFUSED…), for the logs. */
export class SubgraphRequestError extends Error {
  readonly code: string | undefined;

  constructor(url: string, cause: unknown) {
    const reason = networkCause(cause);
    super(`request to ${url} failed, reason: ${reason.message}`, { cause });
    this.name = 'SubgraphRequestError';
    this.code = (reason as { code?: string }).code;
  }
}

/**
 * Calls a subgraph with Node's own fetch (undici, keep-alive). The data
 * source's default, make-fetch-happen, runs retry, cache and agent layers on
 * every call: in the profile it cost more CPU than the subgraph's own work.
 * A failure keeps the default's "request to <url> failed, reason: …" message.
 */
export const subgraphFetch: Fetcher = async (url, init) => {
  try {
    return await fetch(url, init);
  } catch (error) {
    throw new SubgraphRequestError(url, error);
  }
};

/** undici throws `TypeError('fetch failed')`; the socket error is its cause (an AggregateError when several addresses failed). */
function networkCause(error: unknown): Error {
  const cause = isError(error) && isError(error.cause) ? error.cause : error;
  if (isError(cause) && cause.name === 'AggregateError' && isError((cause as AggregateError).errors[0])) return (cause as AggregateError).errors[0] as Error;
  return isError(cause) ? cause : new Error(String(cause));
}

/** Also true for errors made in another realm (undici's, seen from a vm context such as jest's), unlike instanceof. */
function isError(value: unknown): value is Error {
  return value instanceof Error || types.isNativeError(value);
}
