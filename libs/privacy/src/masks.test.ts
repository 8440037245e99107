import { describe, expect, it } from '@jest/globals';
import { maskCreditCard, maskEmail, maskIpAddress, maskPhone, maskSsn, redactedMarker, replacementFor } from './masks.js';

describe('masks', () => {
  it('email keeps the first character and the domain', () => {
    expect(maskEmail('hello@example.com')).toBe('h***@example.com');
    expect(maskEmail('a@b.io')).toBe('a***@b.io');
  });

  it('phone keeps the first group and the last four digits, and every separator', () => {
    expect(maskPhone('555-123-4567')).toBe('555-***-4567');
    expect(maskPhone('555-123-1234')).toBe('555-***-1234');
    expect(maskPhone('(555) 123-4567')).toBe('(555) ***-4567');
    expect(maskPhone('+1 555 123 4567')).toBe('+1 *** *** 4567');
    expect(maskPhone('+44 20 7946 0958')).toBe('+44 ** **** 0958');
    expect(maskPhone('1-555-123-4567')).toBe('1-***-***-4567');
    expect(maskPhone('+15551234567')).toBe('+15*****4567');
  });

  it('credit card always shows as ****-****-****-<last 4>', () => {
    expect(maskCreditCard('4242 4242 4242 4242')).toBe('****-****-****-4242');
    expect(maskCreditCard('378282246310005')).toBe('****-****-****-0005');
  });

  it('ssn keeps the serial', () => {
    expect(maskSsn('123-45-6789')).toBe('***-**-6789');
  });

  it('IPv4 keeps two octets; IPv6 is removed', () => {
    expect(maskIpAddress('10.0.12.34')).toBe('10.0.***.***');
    expect(maskIpAddress('2001:db8::1:2')).toBe('[REDACTED:ip_address]');
  });

  it('replacementFor: redact gives the marker (cards: the mask), mask gives the format-keeping form', () => {
    expect(replacementFor('email', 'redact', 'hello@example.com')).toBe('[REDACTED:email]');
    expect(replacementFor('email', 'mask', 'hello@example.com')).toBe('h***@example.com');
    expect(replacementFor('credit_card', 'redact', '4242424242424242')).toBe('****-****-****-4242');
    expect(replacementFor('ssn', 'mask', '123-45-6789')).toBe('***-**-6789');
    expect(replacementFor('api_key', 'mask', 'abc')).toBe(redactedMarker('api_key'));
    expect(replacementFor('password', 'redact', 'hunter2')).toBe('[REDACTED:password]');
  });
});
