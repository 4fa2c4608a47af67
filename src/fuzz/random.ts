/**
 * The fuzzer's seeded randomness: every choice of a case comes from one generator seeded by
 * (campaign seed, case index), so a case replays identically whatever worker runs it and
 * whatever ran before it.
 */
import { seededRandom } from '../numeric/rounding.ts';

export class FuzzRandom {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = seededRandom(seed);
  }

  /** A float in [0, 1). */
  float(): number {
    return this.next();
  }

  /** An integer in [0, n); 0 when n ≤ 0. */
  below(n: number): number {
    return n <= 0 ? 0 : Math.floor(this.next() * n);
  }

  /** An integer in [lo, hi]. */
  between(lo: number, hi: number): number {
    return lo + this.below(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('FuzzRandom.pick: nothing to pick from');
    return items[this.below(items.length)];
  }
}

/** The seed of case `index` of a campaign seeded with `seed` (a 32-bit mix, so neighbours differ). */
export function caseSeed(seed: number, index: number): number {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
