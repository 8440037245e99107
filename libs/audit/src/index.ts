export { type AuditEvent, type AuditOutcome, type AuditDetails, sanitizeDetails } from './event.js';
export { recordAudit, auditInsert, auditInsertMany, AuditLog, withAccessReason, type AuditAppender, type AuditLogOptions } from './audit-log.js';
export { sanitizeReason, MAX_REASON_LENGTH } from './reason.js';
export { listAuditEvents, type AuditEventFilter, type AuditEventPage, type AuditEventRow } from './audit-query.js';
export { archiveAuditEvents, readAuditArchive, auditArchiveFileName, AUDIT_ARCHIVE_FORMAT, AUDIT_ARCHIVE_VERSION, type AuditArchiveHeader, type AuditArchiveOptions, type AuditArchiveResult } from './audit-archive.js';
