import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { HTTP_STATUS, isErrorCode, MemctxError, type ErrorCode } from '@memory-context/protocol';

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
  return new MemctxError('INTERNAL', internalMessage(error), undefined, { cause: error });
}

function isFormattedError(error: unknown): error is GraphQLFormattedError {
  return typeof error === 'object' && error !== null && !(error instanceof Error) && typeof (error as { message?: unknown }).message === 'string';
}

/** Keeps a relayed error's extra extensions (such as `currentVersion` on CONFLICT). */
function extraExtensions(extensions: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!extensions) return undefined;
  const { code: _code, http: _http, serviceName: _service, stacktrace: _stack, ...rest } = extensions;
  return Object.keys(rest).length > 0 ? rest : undefined;
}

/**
 * Duck-typed: the gateway (CommonJS) and this code (ESM) load two copies of
 * graphql-js, so `instanceof GraphQLError` is false for the other copy's errors.
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

/** What is logged of an internal error: message, code and stack, never query parameters. */
export function loggableError(error: unknown): Record<string, unknown> {
  const root = error instanceof Error && error.message.startsWith('Failed query') && error.cause instanceof Error ? error.cause : error;
  if (!(root instanceof Error)) return { message: String(root) };
  return { type: root.name, message: root.message, code: (root as { code?: unknown }).code, stack: root.stack };
}

/** Apollo `formatError`: a stable code on every error; internals masked in production. */
export function createErrorFormatter(options: { production: boolean; onInternal?: (error: unknown) => void }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const known = normalizeError(original);
    const extensions: Record<string, unknown> = { code: known.code };
    if (known.details) Object.assign(extensions, known.details);
    if (known.code === 'INTERNAL') {
      options.onInternal?.(original);
      return {
        message: options.production ? 'Internal server error.' : known.message,
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions,
      };
    }
    return { ...formatted, message: known.message, extensions: { ...extensions } };
  };
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
