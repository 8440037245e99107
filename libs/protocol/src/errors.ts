import { HTTP_STATUS, type ErrorCode } from './error-codes.js';

/**
 * The one error class of memory-context. Libraries throw it with a code from
 * the closed set; the subgraph kit turns it into a GraphQL error whose
 * `extensions.code` is that code, and the SDK raises it back on the client.
 */
export class MemctxError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MemctxError';
    this.code = code;
    this.details = details;
  }

  get httpStatus(): number {
    return HTTP_STATUS[this.code];
  }
}

export function isMemctxError(error: unknown): error is MemctxError {
  return error instanceof MemctxError;
}
