import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from '@jest/globals';
import { duration, oneOf, port, positiveInt } from './option-parsers.js';

describe('option parsers', () => {
  it('takes whole numbers of at least 1', () => {
    expect(positiveInt('20')).toBe(20);
    for (const bad of ['abc', '0', '-3', '1.5', '', '1e3', '99999999999999999999']) expect(() => positiveInt(bad), bad).toThrow(InvalidArgumentError);
  });

  it('takes ports from 0 (any free one) to 65535', () => {
    expect(port('0')).toBe(0);
    expect(port('3333')).toBe(3333);
    for (const bad of ['65536', '-1', 'http', '']) expect(() => port(bad)).toThrow(InvalidArgumentError);
  });

  it('takes durations above zero', () => {
    expect(duration('15m')).toBe(900_000);
    expect(() => duration('soon')).toThrow(InvalidArgumentError);
    expect(() => duration('0')).toThrow(InvalidArgumentError);
  });

  it('takes one of a list in any case, and lists the choices otherwise', () => {
    const level = oneOf(['PUBLIC', 'TEAM'] as const);
    expect(level('team')).toBe('TEAM');
    expect(() => level('SECRET')).toThrow(/PUBLIC, TEAM/);
  });
});
