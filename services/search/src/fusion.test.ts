import { expect, it } from '@jest/globals';
import { reciprocalRankFusion, RRF_K } from './fusion.js';

it('ranks items found by both lists first, scored 1/(k + rank) per list', () => {
  const lexical = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
  const semantic = [{ id: 'c' }, { id: 'd' }, { id: 'a' }];
  const fused = reciprocalRankFusion([lexical, semantic]);
  expect(fused.map((f) => f.item.id)).toEqual(['a', 'c', 'b', 'd']);
  expect(fused[0]?.score).toBeCloseTo(1 / (RRF_K + 1) + 1 / (RRF_K + 3));
  expect(fused[2]?.score).toBeCloseTo(1 / (RRF_K + 2));
});

it('handles empty lists', () => {
  expect(reciprocalRankFusion([[], []])).toEqual([]);
  expect(reciprocalRankFusion([[{ id: 'x' }], []]).map((f) => f.item.id)).toEqual(['x']);
});
