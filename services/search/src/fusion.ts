/** The constant of Reciprocal Rank Fusion (Cormack et al.): 60 damps the weight of top ranks. */
export const RRF_K = 60;

export interface Ranked {
  id: string;
}

/**
 * Reciprocal Rank Fusion: each list adds 1 / (k + rank) for every item it
 * holds; items found by both rankings rise. Ties keep first-seen order.
 */
export function reciprocalRankFusion<T extends Ranked>(lists: ReadonlyArray<readonly T[]>, k = RRF_K): Array<{ item: T; score: number }> {
  const fused = new Map<string, { item: T; score: number; order: number }>();
  let order = 0;
  for (const list of lists) {
    list.forEach((item, index) => {
      const entry = fused.get(item.id) ?? { item, score: 0, order: order++ };
      entry.score += 1 / (k + index + 1);
      fused.set(item.id, entry);
    });
  }
  return [...fused.values()].sort((a, b) => b.score - a.score || a.order - b.order).map(({ item, score }) => ({ item, score }));
}
