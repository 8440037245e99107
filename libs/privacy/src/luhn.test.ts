import { describe, expect, it } from '@jest/globals';
import { luhnValid } from './luhn.js';

describe('luhnValid', () => {
  it.each(['4242424242424242', '4111111111111111', '5555555555554444', '378282246310005', '6011111111111117', '79927398713', '0'])(
    'accepts %s',
    (n) => expect(luhnValid(n)).toBe(true),
  );

  it.each(['4242424242424241', '4111111111111112', '79927398710', '1234567812345678'])('rejects %s', (n) => expect(luhnValid(n)).toBe(false));

  it('rejects empty strings and non-digits', () => {
    expect(luhnValid('')).toBe(false);
    expect(luhnValid('4242-4242-4242-4242')).toBe(false);
    expect(luhnValid('42a2')).toBe(false);
  });
});
