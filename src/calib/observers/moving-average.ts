/**
 * Moving-average min/max (an exponential moving average of each batch's extremes):
 *   first batch:  min = min(x₁),                 max = max(x₁)
 *   later batches: min ← min + c·(min(xₜ) − min), max ← max + c·(max(xₜ) − max)
 * with averaging constant c (default 0.01). It tames single outlier batches that a plain
 * min/max keeps forever. An EMA has no exact merge: `merge` averages the two states weighted by
 * their batch counts, which equals the EMA when both shards saw similar data.
 */
import { DataError } from '../../errors.ts';
import { assertSameKind, finiteExtremes, type Observer } from './observer.ts';

export interface MovingAverageState {
  readonly kind: 'moving-average';
  readonly averagingConstant: number;
  readonly min: number;
  readonly max: number;
  readonly batches: number;
}

export class MovingAverageMinMaxObserver implements Observer<MovingAverageState> {
  readonly kind = 'moving-average';
  readonly averagingConstant: number;
  min = Infinity;
  max = -Infinity;
  batches = 0;

  constructor(averagingConstant = 0.01) {
    if (!(averagingConstant > 0 && averagingConstant <= 1)) {
      throw new DataError(`moving-average observer: averaging constant must be in (0, 1], got ${averagingConstant}`);
    }
    this.averagingConstant = averagingConstant;
  }

  observe(values: Float32Array): void {
    if (values.length === 0) return;
    const { min: lo, max: hi } = finiteExtremes(values, 'moving-average observer');
    if (this.batches === 0) {
      this.min = lo;
      this.max = hi;
    } else {
      const c = this.averagingConstant;
      this.min += c * (lo - this.min);
      this.max += c * (hi - this.max);
    }
    this.batches++;
  }

  merge(other: Observer<MovingAverageState>): void {
    assertSameKind(this, other);
    const state = other.toJSON();
    if (state.batches === 0) return;
    if (this.batches === 0) {
      this.min = state.min;
      this.max = state.max;
    } else {
      const total = this.batches + state.batches;
      this.min = (this.min * this.batches + state.min * state.batches) / total;
      this.max = (this.max * this.batches + state.max * state.batches) / total;
    }
    this.batches += state.batches;
  }

  toJSON(): MovingAverageState {
    return { kind: 'moving-average', averagingConstant: this.averagingConstant, min: this.min, max: this.max, batches: this.batches };
  }
}
