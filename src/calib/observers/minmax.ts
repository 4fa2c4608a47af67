/**
 * Running minimum and maximum: min ← min(min, min(x)), max ← max(max, max(x)).
 * Before any value is seen min = +∞ and max = −∞ (an empty observer); `merge` takes the
 * elementwise min/max, which is exact.
 */
import { assertSameKind, finiteExtremes, type Observer } from './observer.ts';

export interface MinMaxState {
  readonly kind: 'minmax';
  readonly min: number;
  readonly max: number;
  readonly count: number;
}

export class MinMaxObserver implements Observer<MinMaxState> {
  readonly kind = 'minmax';
  min = Infinity;
  max = -Infinity;
  count = 0;

  observe(values: Float32Array): void {
    const { min, max } = finiteExtremes(values, 'min/max observer');
    this.record(min, max, values.length);
  }

  /** Folds in a batch whose extremes the caller already knows (see scanExtremes). */
  record(batchMin: number, batchMax: number, count: number): void {
    if (batchMin < this.min) this.min = batchMin;
    if (batchMax > this.max) this.max = batchMax;
    this.count += count;
  }

  merge(other: Observer<MinMaxState>): void {
    assertSameKind(this, other);
    const state = other.toJSON();
    this.min = Math.min(this.min, state.min);
    this.max = Math.max(this.max, state.max);
    this.count += state.count;
  }

  toJSON(): MinMaxState {
    return { kind: 'minmax', min: this.min, max: this.max, count: this.count };
  }

  static fromJSON(state: MinMaxState): MinMaxObserver {
    const o = new MinMaxObserver();
    o.min = state.min;
    o.max = state.max;
    o.count = state.count;
    return o;
  }
}
