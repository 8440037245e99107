import { types } from 'node:util';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { HTTP_STATUS, isErrorCode, MemctxError, type ErrorCode } from '@memory-context/protocol';
import { databaseUnavailable, isConnectionFailure } from './unavailable.js';

/** Apollo's own codes, folded into the closed set of ARCHITECTURE §9. */
const APOLLO_CODES: Record<string, ErrorCode> = {
  GRAPHQL_PARSE_FAILED: 'BAD_USER_INPUT',
  GRAPHQL_VALIDATION_FAILED: 'BAD_USER_INPUT',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  BAD_REQUEST: 'BAD_USER_INPUT',
  OPERATION_RESOLUTION_FAILURE: 'BAD_USER_INPUT',
  PERSISTED_QUERY_NOT_FOUND: 'BAD_USER_INPUT',
  PERSISTED_QUERY_NOT_SUPPORTED: 'BAD_USER_INPUT',
  INTERNAL_SERVER_ERROR: 'INTERNAL',
};

/** Every unknown cause becomes a MemctxError here, and nowhere else. */
export function normalizeError(error: unknown): MemctxError {
  if (error instanceof MemctxError) return error;
  if (isGraphQLError(error)) {
    const code = error.extensions?.code;
    if (isErrorCode(code)) return new MemctxError(code, error.message, extraExtensions(error.extensions));
    if (typeof code === 'string' && APOLLO_CODES[code]) return new MemctxError(APOLLO_CODES[code], error.message, { reason: code });
    if (error.originalError) return normalizeError(error.originalError);
    // Errors raised by graphql-js itself (argument coercion, unknown enum value…) are the caller's input.
    return new MemctxError('BAD_USER_INPUT', error.message);
  }
  if (isFormattedError(error)) {
    // A subgraph's error as the gateway relays it: a plain formatted object.
    const code = error.extensions?.code;
    return new MemctxError(isErrorCode(code) ? code : 'INTERNAL', error.message, extraExtensions(error.extensions));
  }
  const cause = (error as { cause?: unknown } | null)?.cause;
  if (cause instanceof MemctxError) return cause;
  if (isConnectionFailure(error)) return databaseUnavailable(error);
  return new MemctxError('INTERNAL', internalMessage(error), undefined, { cause: error });
}

/** A relayed error: a plain object with a message (an Error from another realm is not `instanceof Error`, but is native). */
function isFormattedError(error: unknown): error is GraphQLFormattedError {
  return typeof error === 'object' && error !== null && !(error instanceof Error) && !types.isNativeError(error) && typeof (error as { message?: unknown }).message === 'string';
}

/**
 * Keeps a relayed error's extra extensions (such as `currentVersion` on
 * CONFLICT); the gateway's `serviceName` becomes `service`, which names the
 * failing subgraph even when production masks the message.
 */
function extraExtensions(extensions: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!extensions) return undefined;
  const { code: _code, http: _http, serviceName, stacktrace: _stack, ...rest } = extensions;
  if (typeof serviceName === 'string' && rest.service === undefined) rest.service = serviceName;
  return Object.keys(rest).length > 0 ? rest : undefined;
}

function hasErrorCode(error: unknown): boolean {
  return isGraphQLError(error) && isErrorCode(error.extensions?.code);
}

/**
 * Duck-typed: where two copies of graphql-js are loaded (a bundler may take its
 * ESM build beside the gateway's CommonJS one), `instanceof GraphQLError` is
 * false for the other copy's errors.
 */
function isGraphQLError(error: unknown): error is GraphQLError {
  return error instanceof GraphQLError || (error instanceof Error && typeof (error as { extensions?: unknown }).extensions === 'object');
}

/**
 * Drizzle wraps a database error as "Failed query: <sql> params: <values>";
 * the values can hold content, so only the database's own message is kept.
 */
function internalMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.message.startsWith('Failed query') && error.cause instanceof Error) return `Database error: ${error.cause.message}`;
  return error.message;
}

/** Logs an INTERNAL or UNAVAILABLE error with its real message (the caller may only see a masked one). */
export function logServerError(logger: { error: (fields: Record<string, unknown>, message: string) => void }) {
  return (error: unknown, code: 'INTERNAL' | 'UNAVAILABLE'): void => {
    logger.error({ err: loggableError(error), code }, code === 'UNAVAILABLE' ? 'dependency unavailable' : 'internal error');
  };
}

/** What is logged of an internal error: message, code and stack, never query parameters. */
export function loggableError(error: unknown): Record<string, unknown> {
  const root = error instanceof Error && error.message.startsWith('Failed query') && error.cause instanceof Error ? error.cause : error;
  if (isFormattedError(root)) {
    // A subgraph's error relayed by the gateway: a plain object, which String() would log as "[object Object]".
    return { type: 'SubgraphError', message: root.message, code: root.extensions?.code, service: root.extensions?.serviceName ?? root.extensions?.service, path: root.path };
  }
  if (!(root instanceof Error)) return { message: String(root) };
  const logged: Record<string, unknown> = { type: root.name, message: root.message, code: (root as { code?: unknown }).code, stack: root.stack };
  if (root instanceof MemctxError && root.cause !== undefined) logged.cause = loggableError(root.cause);
  return logged;
}

/** graphql-js's "Did you mean …?" hints, which let a caller explore a schema whose introspection is off. */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/**
 * Apollo `formatError`: a stable code on every error. UNAVAILABLE names the
 * service and says retry; production masks internal messages (keeping code,
 * service and path) and drops field suggestions.
 */
export function createErrorFormatter(options: { production: boolean; service?: string; onServerError?: (error: unknown, code: 'INTERNAL' | 'UNAVAILABLE') => void }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const unwrapped = unwrapResolverError(error);
    // A failed subgraph fetch arrives as a GraphQLError the gateway already coded (UNAVAILABLE, with the service);
    // its originalError, the socket error, is for the logs and must not decide the code.
    const original = !(unwrapped instanceof MemctxError) && hasErrorCode(error) ? error : unwrapped;
    const known = normalizeError(original);
    const extensions: Record<string, unknown> = { code: known.code };
    if (known.details) Object.assign(extensions, known.details);
    // An error thrown outside a resolver (a failed subgraph fetch) carries its path itself.
    const path = formatted.path ?? (original as { path?: GraphQLFormattedError['path'] } | null)?.path;
    const where = { ...(formatted.locations ? { locations: formatted.locations } : {}), ...(path ? { path } : {}) };
    // Which service failed: the subgraph a relayed error names, else this one.
    const serverError = known.code === 'UNAVAILABLE' || known.code === 'INTERNAL';
    if (serverError && extensions.service === undefined && options.service) extensions.service = options.service;
    if (known.code === 'UNAVAILABLE') {
      extensions.retryable = true;
      options.onServerError?.(known.cause ?? original, 'UNAVAILABLE');
      return { message: known.message, ...where, extensions };
    }
    if (known.code === 'INTERNAL') {
      options.onServerError?.(original, 'INTERNAL');
      if (options.production) {
        return { message: 'Internal server error.', ...where, extensions: pick(extensions, ['code', 'service']) };
      }
      return { message: known.message, ...where, extensions };
    }
    const message = options.production ? known.message.replace(SUGGESTION, '') : known.message;
    return { ...formatted, message, extensions: { ...extensions } };
  };
}

function pick(record: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => record[k] !== undefined).map((k) => [k, record[k]]));
}

/** A GraphQL error that also sets the HTTP status, for errors that end the whole request. */
export function requestError(error: MemctxError): GraphQLError {
  return new GraphQLError(error.message, {
    extensions: { code: error.code, ...(error.details ?? {}), http: { status: HTTP_STATUS[error.code] } },
    originalError: error,
  });
}

/** The JSON body for errors raised before GraphQL runs (body too large, bad JSON…). */
export function httpErrorBody(code: ErrorCode, message: string): { errors: GraphQLFormattedError[] } {
  return { errors: [{ message, extensions: { code } }] };
}
