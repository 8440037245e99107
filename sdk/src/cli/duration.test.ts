import { expect, it } from '@jest/globals';
import { parseDuration } from './duration.js';

it('parses durations', () => {
  expect(parseDuration('15m')).toBe(900_000);
  expect(parseDuration('1h30m')).toBe(5_400_000);
  expect(parseDuration('500ms')).toBe(500);
  expect(parseDuration('2500')).toBe(2500);
  expect(() => parseDuration('soon')).toThrow(/Invalid duration/);
});
