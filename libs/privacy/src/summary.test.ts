import { describe, expect, it } from '@jest/globals';
import { mergeSummaries, summaryTotal } from './summary.js';

describe('summaries', () => {
  it('mergeSummaries adds counts per kind and leaves inputs alone', () => {
    const a = { email: 2, jwt: 1 };
    const b = { email: 1, ssn: 3 };
    expect(mergeSummaries(a, b, {})).toEqual({ email: 3, jwt: 1, ssn: 3 });
    expect(a).toEqual({ email: 2, jwt: 1 });
    expect(mergeSummaries()).toEqual({});
  });

  it('summaryTotal sums every count', () => {
    expect(summaryTotal({ email: 3, jwt: 1, ssn: 3 })).toBe(7);
    expect(summaryTotal({})).toBe(0);
  });
});
