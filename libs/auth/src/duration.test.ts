import { expect, it } from '@jest/globals';
import { parseDuration } from './duration.js';

it('parses durations and refuses nonsense', () => {
  expect(parseDuration('90')).toBe(90);
  expect(parseDuration('15m')).toBe(900);
  expect(parseDuration('30d')).toBe(2_592_000);
  expect(() => parseDuration('soon')).toThrow(/duration/);
  expect(() => parseDuration('0')).toThrow(/longer/);
});
