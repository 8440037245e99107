import { describe, expect, it } from '@jest/globals';
import { failureHandling, SdkError } from './errors.js';

describe('failureHandling', () => {
  it('follows ARCHITECTURE §6: retry the network and 5xx, reject 4xx-class codes, keep the queue for a bad token', () => {
    const h = (code: ConstructorParameters<typeof SdkError>[0], details = {}) => failureHandling(new SdkError(code, 'x', details));
    expect(['NETWORK_ERROR', 'UNAVAILABLE', 'INTERNAL', 'RATE_LIMITED'].map((c) => h(c as never))).toEqual(['retry', 'retry', 'retry', 'retry']);
    expect(['BAD_USER_INPUT', 'FORBIDDEN', 'NOT_FOUND', 'EPHEMERAL_NOT_PERSISTED', 'PAYLOAD_TOO_LARGE'].map((c) => h(c as never))).toEqual(Array(5).fill('reject'));
    expect(h('CONFLICT')).toBe('conflict');
    expect(h('UNAUTHENTICATED')).toBe('pause');
  });
});
