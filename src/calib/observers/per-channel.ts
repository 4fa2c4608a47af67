/**
 * Per-channel min/max along one axis (for weights, or per-channel activation studies):
 * for every index c of `axis`, min_c and max_c over all other dimensions. Exact merge.
 */
import { DataError } from '../../errors.ts';
import { assertSameKind, type Observer } from './observer.ts';

export interface PerChannelState {
  readonly kind: 'per-channel';
  readonly axis: number;
  readonly mins: number[];
  readonly maxs: number[];
}

export class PerChannelMinMaxObserver implements Observer<PerChannelState> {
  readonly kind = 'per-channel';
  readonly axis: number;
  readonly shape: readonly number[];
  readonly mins: Float64Array;
  readonly maxs: Float64Array;

  /** `shape` is the shape of every observed tensor; `axis` may be negative. */
  constructor(shape: readonly number[], axis: number) {
    const rank = shape.length;
    const a = axis < 0 ? axis + rank : axis;
    if (!Number.isInteger(a) || a < 0 || a >= rank) throw new DataError(`per-channel observer: axis ${axis} out of range for shape [${shape.join(', ')}]`);
    this.axis = a;
    this.shape = [...shape];
    this.mins = new Float64Array(shape[a]).fill(Infinity);
    this.maxs = new Float64Array(shape[a]).fill(-Infinity);
  }

  observe(values: Float32Array): void {
    const channels = this.shape[this.axis];
    const inner = this.shape.slice(this.axis + 1).reduce((p, d) => p * d, 1);
    const total = this.shape.reduce((p, d) => p * d, 1);
    if (values.length !== total) throw new DataError(`per-channel observer: expected ${total} values of shape [${this.shape.join(', ')}], got ${values.length}`);
    const outer = total / (channels * inner || 1);
    for (let o = 0; o < outer; o++) {
      for (let c = 0; c < channels; c++) {
        const base = (o * channels + c) * inner;
        let lo = this.mins[c];
        let hi = this.maxs[c];
        for (let i = 0; i < inner; i++) {
          const v = values[base + i];
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        this.mins[c] = lo;
        this.maxs[c] = hi;
      }
    }
  }

  merge(other: Observer<PerChannelState>): void {
    assertSameKind(this, other);
    const state = other.toJSON();
    if (state.axis !== this.axis || state.mins.length !== this.mins.length) throw new DataError('per-channel observer: cannot merge observers of different axes or channel counts');
    for (let c = 0; c < this.mins.length; c++) {
      this.mins[c] = Math.min(this.mins[c], state.mins[c]);
      this.maxs[c] = Math.max(this.maxs[c], state.maxs[c]);
    }
  }

  toJSON(): PerChannelState {
    return { kind: 'per-channel', axis: this.axis, mins: [...this.mins], maxs: [...this.maxs] };
  }
}
