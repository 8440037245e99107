import { createRedactor, DEFAULT_PRIVACY_CONFIG, type Redactor } from '@memory-context/privacy';

export const MAX_REASON_LENGTH = 500;

let redactor: Redactor | undefined;

/**
 * A reason is free text from the caller, so it may hold PII or a secret:
 * it is redacted with the shipped rules at the strictest level (PUBLIC: every
 * detector redacts), whatever a deployment's override relaxes, then bounded.
 */
export function sanitizeReason(reason: string | null | undefined): string | null {
  if (reason === null || reason === undefined || reason.trim() === '') return null;
  redactor ??= createRedactor(DEFAULT_PRIVACY_CONFIG);
  return redactor.redactText(reason.trim(), 'PUBLIC').text.slice(0, MAX_REASON_LENGTH);
}
