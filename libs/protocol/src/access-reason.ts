import { MemctxError } from './errors.js';

/**
 * Why a read or write happens (the seed's `access_reason`): sent by clients
 * in this header, forwarded by the gateway, kept in the audit event's `reason`.
 */
export const ACCESS_REASON_HEADER = 'x-memctx-access-reason';
export const MAX_ACCESS_REASON_LENGTH = 200;

/** Printable ASCII: header values are bytes, and anything else would arrive garbled. */
const PRINTABLE = /^[\x20-\x7E]*$/;

/** Why `reason` cannot be an access reason, or undefined when it can. */
export function accessReasonProblem(reason: string): string | undefined {
  if (reason.trim().length > MAX_ACCESS_REASON_LENGTH) return `is longer than ${MAX_ACCESS_REASON_LENGTH} characters`;
  if (!PRINTABLE.test(reason)) return 'may hold printable ASCII characters only';
  return undefined;
}

/** The header's reason, trimmed; null when absent or blank. Throws BAD_USER_INPUT for a value that cannot be one. */
export function parseAccessReason(header: string | string[] | undefined): string | null {
  if (header === undefined) return null;
  if (Array.isArray(header)) throw new MemctxError('BAD_USER_INPUT', `Send one ${ACCESS_REASON_HEADER} header, not ${header.length}.`);
  const problem = accessReasonProblem(header);
  if (problem) throw new MemctxError('BAD_USER_INPUT', `The ${ACCESS_REASON_HEADER} header ${problem}.`);
  const reason = header.trim();
  return reason === '' ? null : reason;
}
