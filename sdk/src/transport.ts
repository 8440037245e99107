import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type DocumentNode } from 'graphql';
import { ACCESS_REASON_HEADER } from '@memory-context/protocol';
import { SdkError, isServerCode, type SdkErrorCode } from './errors.js';

export interface TransportOptions {
  url: string | undefined;
  token: string | undefined;
  timeoutMs: number;
  /** Sent with every request as the x-memctx-access-reason header (kept in the audit trail). */
  accessReason?: string | undefined;
  /** Told after every request whether the gateway answered at all. */
  onReachability?: (reachable: boolean) => void;
  fetch?: typeof fetch;
}

/** Sends one typed operation; resolves with its data or throws SdkError. */
export interface Transport {
  request<TData, TVariables extends Record<string, unknown>>(document: TypedDocumentNode<TData, TVariables>, variables: TVariables): Promise<TData>;
}

interface GraphQLErrorBody {
  message?: unknown;
  /** The field that failed, such as ['sessionChanges']. */
  path?: unknown;
  extensions?: Record<string, unknown>;
}

const printed = new WeakMap<DocumentNode, string>();

function source(document: DocumentNode): string {
  let text = printed.get(document);
  if (text === undefined) {
    text = print(document);
    printed.set(document, text);
  }
  return text;
}

function codeForStatus(status: number): SdkErrorCode {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 500) return 'NETWORK_ERROR';
  return 'BAD_USER_INPUT';
}

function errorFromBody(error: GraphQLErrorBody, status: number): SdkError {
  const extensions = error.extensions ?? {};
  const raw = extensions.code;
  const message = typeof error.message === 'string' ? error.message : 'GraphQL error';
  const details = { ...extensions, httpStatus: status, ...(Array.isArray(error.path) ? { path: error.path as unknown[] } : {}) };
  if (typeof raw === 'string' && isServerCode(raw)) return new SdkError(raw, message, details);
  // A code outside the closed set (a gateway-level refusal): keep it, classify by status.
  return new SdkError(status >= 500 ? 'INTERNAL' : 'BAD_USER_INPUT', message, { ...details, originalCode: raw });
}

/** GraphQL over HTTP POST with plain fetch: no client library, one printed document per operation. */
export function createTransport(options: TransportOptions): Transport {
  const doFetch = options.fetch ?? fetch;
  return {
    async request(document, variables) {
      if (!options.url || !options.token) {
        throw new SdkError('NOT_CONFIGURED', 'No gateway URL or token is configured (MEMCTX_URL, MEMCTX_TOKEN, or `memctx login`); working from the cache.');
      }
      let response: Response;
      let text: string;
      try {
        response = await doFetch(options.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json',
            authorization: `Bearer ${options.token}`,
            ...(options.accessReason ? { [ACCESS_REASON_HEADER]: options.accessReason } : {}),
          },
          body: JSON.stringify({ query: source(document), variables }),
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        text = await response.text();
      } catch (err) {
        options.onReachability?.(false);
        const cause = (err as { cause?: { code?: string } }).cause;
        const reason = cause?.code ?? (err as Error).name;
        throw new SdkError('NETWORK_ERROR', `The gateway at ${options.url} could not be reached (${reason}).`, { url: options.url, reason }, { cause: err });
      }
      let body: { data?: unknown; errors?: GraphQLErrorBody[] } | undefined;
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        body = undefined;
      }
      if (!body || typeof body !== 'object') {
        const code = codeForStatus(response.status);
        options.onReachability?.(code !== 'NETWORK_ERROR');
        const retryAfter = Number(response.headers.get('retry-after'));
        throw new SdkError(code, `The gateway answered ${response.status} without a GraphQL response: ${text.slice(0, 200)}`, {
          httpStatus: response.status,
          ...(retryAfter > 0 ? { retryAfter } : {}),
        });
      }
      options.onReachability?.(true);
      const first = body.errors?.[0];
      if (first) throw errorFromBody(first, response.status);
      if (body.data === null || body.data === undefined) throw new SdkError('INTERNAL', `The gateway answered ${response.status} with no data.`, { httpStatus: response.status });
      return body.data as never;
    },
  };
}
