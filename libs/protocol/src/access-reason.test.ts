import { describe, expect, it } from '@jest/globals';
import { MAX_ACCESS_REASON_LENGTH, parseAccessReason } from './access-reason.js';

describe('parseAccessReason', () => {
  it('trims a reason and treats absent or blank as none', () => {
    expect(parseAccessReason('  ticket OPS-12: incident review ')).toBe('ticket OPS-12: incident review');
    expect(parseAccessReason(undefined)).toBeNull();
    expect(parseAccessReason('   ')).toBeNull();
  });

  it('refuses too long, non-printable and repeated values with BAD_USER_INPUT', () => {
    expect(parseAccessReason('x'.repeat(MAX_ACCESS_REASON_LENGTH))).toHaveLength(MAX_ACCESS_REASON_LENGTH);
    for (const bad of ['x'.repeat(MAX_ACCESS_REASON_LENGTH + 1), 'line\nbreak', 'tab\there', 'caf\u00e9', ['a', 'b']]) {
      expect(() => parseAccessReason(bad)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    }
  });
});
