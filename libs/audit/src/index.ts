export { type AuditEvent, type AuditOutcome, type AuditDetails, sanitizeDetails } from './event.js';
export { recordAudit, AuditLog, type AuditLogOptions } from './audit-log.js';
