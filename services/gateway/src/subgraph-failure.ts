import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError, Kind, parse, type GraphQLFormattedError } from 'graphql';
import { isErrorCode, type ErrorCode } from '@memory-context/protocol';
import { SubgraphRequestError } from './subgraph-fetch.js';

type ResponsePath = ReadonlyArray<string | number>;

/**
 * What the caller learns when a subgraph call fails as a whole. A subgraph
 * that cannot be reached, or answers 5xx without a GraphQL body, is
 * UNAVAILABLE with the service name and the path the fetch would have filled;
 * the URL and socket error stay in the cause, for the logs. A subgraph's own
 * GraphQL refusal (401, 413, a 400 from its input checks) is relayed as is.
 * Anything else is left for the error formatter.
 */
export function subgraphFailure(service: string, error: unknown, path: ResponsePath | undefined): unknown {
  const at = path && path.length > 0 ? { path } : {};
  if (error instanceof SubgraphRequestError) return unavailable(service, at, error);
  const response = (error as { extensions?: { response?: { status?: unknown; body?: unknown } } } | null)?.extensions?.response;
  if (!(error instanceof Error) || typeof response?.status !== 'number') return error;
  const relayed = firstGraphQLError(response.body);
  if (relayed && isErrorCode(relayed.extensions?.code)) {
    const { http: _http, ...extensions } = relayed.extensions ?? {};
    return new GraphQLError(relayed.message, { ...at, extensions: { ...extensions, service }, originalError: error });
  }
  if (response.status >= 500) return unavailable(service, at, error);
  return new GraphQLError(`The ${service} service refused the request (HTTP ${response.status}).`, { ...at, extensions: { code: codeForStatus(response.status), service }, originalError: error });
}

function unavailable(service: string, at: { path?: ResponsePath }, cause: Error): GraphQLError {
  return new GraphQLError(`The ${service} service is unavailable; try again later.`, { ...at, extensions: { code: 'UNAVAILABLE', service, retryable: true }, originalError: cause });
}

function codeForStatus(status: number): ErrorCode {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 429) return 'RATE_LIMITED';
  return 'BAD_USER_INPUT';
}

function firstGraphQLError(body: unknown): GraphQLFormattedError | undefined {
  const first = (body as { errors?: unknown } | null)?.errors;
  const error = Array.isArray(first) ? (first[0] as GraphQLFormattedError | undefined) : undefined;
  return typeof error?.message === 'string' ? error : undefined;
}

/**
 * The response path a failed fetch would have filled: where its entities sit
 * (up to the first list), or for a root fetch its first root field.
 */
export function fetchPath(options: GraphQLDataSourceProcessOptions): ResponsePath | undefined {
  if (!('pathInIncomingRequest' in options)) return undefined;
  const inRequest = options.pathInIncomingRequest ?? [];
  if (inRequest.length > 0) {
    const list = inRequest.indexOf('@');
    return list === -1 ? inRequest : inRequest.slice(0, list);
  }
  // The planner does not always hand over the fetch's parsed document; this runs on failures only.
  const document = options.document ?? (options.request.query ? parse(options.request.query) : undefined);
  const operation = document?.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  const field = operation?.kind === Kind.OPERATION_DEFINITION ? operation.selectionSet.selections.find((s) => s.kind === Kind.FIELD) : undefined;
  return field?.kind === Kind.FIELD ? [field.alias?.value ?? field.name.value] : undefined;
}
