import { describe, expect, it } from '@jest/globals';
import { withAccessReason, type AuditAppender } from './audit-log.js';
import type { AuditEvent } from './event.js';
import { MAX_REASON_LENGTH, sanitizeReason } from './reason.js';

describe('sanitizeReason', () => {
  it('redacts PII and secrets at the strictest level and bounds the length', () => {
    const reason = sanitizeReason('  review for jane.doe@example.com, card 4242 4242 4242 4242, key AKIAIOSFODNN7EXAMPLE ');
    expect(reason).toMatch(/^review for /);
    for (const value of ['jane.doe@example.com', '4242 4242 4242 4242', 'AKIAIOSFODNN7EXAMPLE']) expect(reason).not.toContain(value);
    expect(sanitizeReason('x'.repeat(2 * MAX_REASON_LENGTH))).toHaveLength(MAX_REASON_LENGTH);
    expect(sanitizeReason('   ')).toBeNull();
    expect(sanitizeReason(undefined)).toBeNull();
  });
});

describe('withAccessReason', () => {
  const event: AuditEvent = { actor: 'a', action: 'session.read_content', resourceType: 'session', outcome: 'SUCCESS' };

  it("fills the request's reason into events without one, and keeps an event's own", () => {
    const seen: AuditEvent[] = [];
    const log: AuditAppender = { append: (e) => seen.push(e) };
    const scoped = withAccessReason(log, 'ticket OPS-12');
    scoped.append(event);
    scoped.append({ ...event, reason: 'GDPR request #7' });
    withAccessReason(log, null).append(event);
    expect(seen.map((e) => e.reason ?? null)).toEqual(['ticket OPS-12', 'GDPR request #7', null]);
  });
});
