export type AuditOutcome = 'SUCCESS' | 'DENIED' | 'FAILED';

/** Metadata of one access: who, what, why. Never content. */
export interface AuditEvent {
  actor: string;
  action: string;
  resourceType: string;
  resourceId?: string | null;
  submoduleId?: string | null;
  reason?: string | null;
  requestId?: string | null;
  outcome: AuditOutcome;
  details?: AuditDetails;
}

/** Counts, flags, names: small values only, so content cannot slip in. */
export type AuditDetails = Record<string, number | boolean | string | string[] | Record<string, number>>;

const MAX_DETAIL_STRING = 120;

export function sanitizeDetails(details: AuditDetails | undefined): AuditDetails | null {
  if (!details) return null;
  const clean: AuditDetails = {};
  for (const [key, value] of Object.entries(details)) {
    if (typeof value === 'string') clean[key] = value.slice(0, MAX_DETAIL_STRING);
    else if (Array.isArray(value)) clean[key] = value.slice(0, 20).map((v) => String(v).slice(0, MAX_DETAIL_STRING));
    else clean[key] = value;
  }
  return clean;
}
