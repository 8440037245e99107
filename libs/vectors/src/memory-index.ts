import { readScope } from '@memory-context/access';
import { listFilter, type VectorMeta } from './filter.js';
import type { DocumentKind, VectorHit, VectorQuery } from './store.js';

const KINDS: readonly DocumentKind[] = ['SESSION', 'PATTERN', 'CHECKPOINT'];
const LEVELS = ['PUBLIC', 'TEAM', 'PRIVATE'] as const;

/**
 * Vectors in one contiguous Float32Array with their filter fields in typed
 * arrays, scanned exactly. Rows a query may not see are skipped before any
 * arithmetic: access rule and filters first, cosine after, so a forbidden
 * document is never a candidate. Vectors are expected to be unit length
 * (the providers' contract); the score is the dot product.
 */
export class MemoryIndex {
  private capacity = 0;
  private size = 0;
  private data = new Float32Array(0);
  private ids: string[] = [];
  private kinds = new Uint8Array(0);
  private levels = new Uint8Array(0);
  private submodules = new Int32Array(0);
  private created = new Float64Array(0);
  private tags: Array<readonly string[]> = [];
  private readonly slotOf = new Map<string, number>();
  private readonly submoduleIds = new Map<string, number>();

  constructor(readonly dimensions: number) {}

  get count(): number {
    return this.size;
  }

  upsert(meta: VectorMeta, vector: Float32Array): void {
    let slot = this.slotOf.get(meta.id);
    if (slot === undefined) {
      if (this.size === this.capacity) this.grow();
      slot = this.size++;
      this.slotOf.set(meta.id, slot);
      this.ids[slot] = meta.id;
    }
    this.data.set(vector.subarray(0, this.dimensions), slot * this.dimensions);
    this.kinds[slot] = Math.max(0, KINDS.indexOf(meta.kind));
    this.levels[slot] = levelCode(meta.privacyLevel);
    this.submodules[slot] = this.intern(meta.submoduleId);
    this.created[slot] = meta.createdAt.getTime();
    this.tags[slot] = meta.tags;
  }

  remove(id: string): void {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return;
    const last = this.size - 1;
    if (slot !== last) {
      const d = this.dimensions;
      this.data.copyWithin(slot * d, last * d, (last + 1) * d);
      const movedId = this.ids[last]!;
      this.ids[slot] = movedId;
      this.kinds[slot] = this.kinds[last]!;
      this.levels[slot] = this.levels[last]!;
      this.submodules[slot] = this.submodules[last]!;
      this.created[slot] = this.created[last]!;
      this.tags[slot] = this.tags[last]!;
      this.slotOf.set(movedId, slot);
    }
    this.slotOf.delete(id);
    this.ids.length = last;
    this.tags.length = last;
    this.size = last;
  }

  clear(): void {
    this.size = 0;
    this.ids = [];
    this.tags = [];
    this.slotOf.clear();
  }

  has(id: string): boolean {
    return this.slotOf.has(id);
  }

  vectorOf(id: string): Float32Array | undefined {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return undefined;
    return this.data.slice(slot * this.dimensions, (slot + 1) * this.dimensions);
  }

  search(vector: Float32Array, q: VectorQuery, limit: number): VectorHit[] {
    if (limit <= 0 || this.size === 0) return [];
    const d = this.dimensions;
    const accept = this.compile(q);
    // top-k, kept sorted by descending score
    const topScores: number[] = [];
    const topSlots: number[] = [];
    let floor = -Infinity;
    const data = this.data;
    for (let slot = 0; slot < this.size; slot++) {
      if (!accept(slot)) continue;
      let s = 0;
      const base = slot * d;
      for (let k = 0; k < d; k++) s += data[base + k]! * vector[k]!;
      if (topScores.length === limit && s <= floor) continue;
      let at = topScores.length;
      while (at > 0 && topScores[at - 1]! < s) at--;
      topScores.splice(at, 0, s);
      topSlots.splice(at, 0, slot);
      if (topScores.length > limit) {
        topScores.pop();
        topSlots.pop();
      }
      if (topScores.length === limit) floor = topScores[limit - 1]!;
    }
    return topSlots.map((slot, i) => ({ id: this.ids[slot]!, kind: KINDS[this.kinds[slot]!]!, score: topScores[i]! }));
  }

  /** The query as a predicate on slots, cheapest checks first. */
  private compile(q: VectorQuery): (slot: number) => boolean {
    // The actor's read scope as a level mask and an owner slot: everything, or shared levels plus its own.
    const scope = readScope(q.actor);
    const readableLevels = scope.everything ? 0b111 : scope.sharedLevels.reduce((m, l) => m | (1 << levelCode(l)), 0);
    const own = scope.everything ? -1 : (this.submoduleIds.get(scope.ownSubmodule) ?? -1);
    const kinds = listFilter(q.kinds);
    const kindMask = kinds ? kinds.reduce((m, k) => m | (1 << KINDS.indexOf(k)), 0) : 0b111;
    const levels = listFilter(q.privacyLevels);
    const levelMask = levels ? levels.reduce((m, l) => m | (LEVELS.includes(l as never) ? 1 << levelCode(l) : 0), 0) : 0b111;
    const subs = listFilter(q.submodules);
    const subSet = subs ? new Set(subs.map((s) => this.submoduleIds.get(s) ?? -2)) : undefined;
    const tags = listFilter(q.tags);
    const from = q.from?.getTime() ?? -Infinity;
    const to = q.to?.getTime() ?? Infinity;
    const excluded = listFilter(q.excludeIds);
    const excludedSlots = excluded ? new Set(excluded.map((id) => this.slotOf.get(id) ?? -1)) : undefined;
    return (slot) => {
      const level = this.levels[slot]!;
      const sub = this.submodules[slot]!;
      if (!((readableLevels >> level) & 1) && sub !== own) return false;
      if (!((kindMask >> this.kinds[slot]!) & 1)) return false;
      if (!((levelMask >> level) & 1)) return false;
      if (subSet && !subSet.has(sub)) return false;
      const created = this.created[slot]!;
      if (created < from || created >= to) return false;
      if (excludedSlots?.has(slot)) return false;
      if (tags) {
        const have = this.tags[slot]!;
        for (const t of tags) if (!have.includes(t)) return false;
      }
      return true;
    };
  }

  private intern(submoduleId: string): number {
    let n = this.submoduleIds.get(submoduleId);
    if (n === undefined) {
      n = this.submoduleIds.size;
      this.submoduleIds.set(submoduleId, n);
    }
    return n;
  }

  private grow(): void {
    const capacity = Math.max(1024, this.capacity * 2);
    const d = this.dimensions;
    const data = new Float32Array(capacity * d);
    data.set(this.data.subarray(0, this.size * d));
    this.data = data;
    this.kinds = extend(this.kinds, capacity, Uint8Array);
    this.levels = extend(this.levels, capacity, Uint8Array);
    this.submodules = extend(this.submodules, capacity, Int32Array);
    this.created = extend(this.created, capacity, Float64Array);
    this.capacity = capacity;
  }
}

/** PUBLIC 0, TEAM 1, PRIVATE 2; anything else is treated as PRIVATE (the strictest). */
function levelCode(level: string): number {
  const i = LEVELS.indexOf(level as (typeof LEVELS)[number]);
  return i < 0 ? 2 : i;
}

function extend<T extends Uint8Array | Int32Array | Float64Array>(old: T, capacity: number, Ctor: new (n: number) => T): T {
  const next = new Ctor(capacity);
  next.set(old as never);
  return next;
}
