import { describe, expect, it } from '@jest/globals';
import { resolveOverlaps } from './resolve-overlaps.js';

const c = (start: number, end: number, priority: number, id: string) => ({ start, end, priority, id });

describe('resolveOverlaps', () => {
  it('keeps disjoint and adjacent spans, in text order', () => {
    expect(resolveOverlaps([c(5, 8, 1, 'b'), c(0, 5, 1, 'a'), c(20, 30, 1, 'c')]).map((x) => x.id)).toEqual(['a', 'b', 'c']);
  });

  it('higher priority wins, even when shorter', () => {
    expect(resolveOverlaps([c(0, 20, 1, 'long'), c(5, 10, 9, 'specific')]).map((x) => x.id)).toEqual(['specific']);
  });

  it('equal priority: the longer wins, then the earlier', () => {
    expect(resolveOverlaps([c(0, 5, 1, 'short'), c(2, 12, 1, 'long')]).map((x) => x.id)).toEqual(['long']);
    expect(resolveOverlaps([c(0, 5, 1, 'first'), c(3, 8, 1, 'second')]).map((x) => x.id)).toEqual(['first']);
  });

  it('a span dropped for overlapping the winner no longer blocks its other neighbours', () => {
    // x beats a; a (dropped) would have beaten b, which only overlaps a
    expect(resolveOverlaps([c(0, 10, 1, 'a'), c(0, 3, 9, 'x'), c(8, 12, 1, 'b')]).map((x) => x.id)).toEqual(['x', 'b']);
    // a winner in the middle of a chain removes both neighbours
    expect(resolveOverlaps([c(0, 6, 1, 'a'), c(4, 10, 5, 'b'), c(8, 14, 1, 'c')]).map((x) => x.id)).toEqual(['b']);
  });

  it('handles many candidates', () => {
    const many = Array.from({ length: 50_000 }, (_, i) => c(i * 2, i * 2 + 3, i % 3, String(i)));
    const out = resolveOverlaps(many);
    for (let i = 1; i < out.length; i++) expect(out[i]!.start).toBeGreaterThanOrEqual(out[i - 1]!.end);
    expect(out.length).toBeGreaterThan(10_000);
  });
});
