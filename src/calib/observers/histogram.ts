/**
 * A streaming, exactly mergeable histogram of a tensor's values.
 *
 * The range is symmetric, [−a, a] with a = 2^e, split into 2·bins equal bins (bins = 2048 per
 * side by default, TensorRT's resolution for |x|). When a value beyond ±a arrives the range
 * doubles, and doubling is exact re-binning: pairs of neighbouring bins merge, because all edges
 * stay on the same power-of-two grid. The same grid is what makes `merge` exact: two shards
 * grow to the larger exponent and add their counts.
 *
 * Deviation from TensorRT, on purpose: TensorRT first finds max|x| and histograms [0, max|x|];
 * here a is the next power of two ≥ max|x| (so between half and all of the bins hold data),
 * which buys single-pass streaming and exact merging. The exact min and max are kept as well.
 */
import { DataError } from '../../errors.ts';
import { assertSameKind, finiteExtremes, type Observer } from './observer.ts';

export interface HistogramState {
  readonly kind: 'histogram';
  /** Bins per side. */
  readonly bins: number;
  /** The range is [−2^exponent, 2^exponent]; null before any non-zero value was seen. */
  readonly exponent: number | null;
  /** 2·bins counts, bin j covering [−a + j·w, −a + (j + 1)·w) with w = a / bins. */
  readonly counts: number[];
  readonly min: number;
  readonly max: number;
  readonly count: number;
}

/** Exponent used while every value seen so far is 0 (any later value grows from here). */
const EMPTY_EXPONENT = -64;

export class HistogramObserver implements Observer<HistogramState> {
  readonly kind = 'histogram';
  readonly bins: number;
  exponent = EMPTY_EXPONENT;
  counts: Float64Array;
  min = Infinity;
  max = -Infinity;
  count = 0;

  constructor(bins = 2048) {
    if (!Number.isInteger(bins) || bins < 2 || (bins & (bins - 1)) !== 0) {
      throw new DataError(`histogram observer: bins per side must be a power of two ≥ 2, got ${bins}`);
    }
    this.bins = bins;
    this.counts = new Float64Array(2 * bins);
  }

  /** Half-width a of the histogram's range. */
  get halfRange(): number {
    return 2 ** this.exponent;
  }

  /** Width of one bin. */
  get binWidth(): number {
    return this.halfRange / this.bins;
  }

  observe(values: Float32Array): void {
    const { min, max } = finiteExtremes(values, 'histogram observer');
    this.observeWithExtremes(values, min, max);
  }

  /** `observe` for a batch whose extremes the caller already knows (see scanExtremes): one pass fewer. */
  observeWithExtremes(values: Float32Array, lo: number, hi: number): void {
    if (values.length === 0) return;
    this.growTo(exponentFor(Math.max(-lo, hi)));
    // bins / a is a power of two, so x·scale and its floor are exact: no bin-edge rounding.
    const scale = this.bins / this.halfRange;
    const bins = this.bins;
    const last = 2 * bins - 1;
    const counts = this.counts;
    for (let i = 0; i < values.length; i++) {
      let j = bins + Math.floor(values[i] * scale);
      if (j > last) j = last; // x = +a exactly
      counts[j]++;
    }
    if (lo < this.min) this.min = lo;
    if (hi > this.max) this.max = hi;
    this.count += values.length;
  }

  merge(other: Observer<HistogramState>): void {
    assertSameKind(this, other);
    const state = other.toJSON();
    if (state.bins !== this.bins) throw new DataError(`histogram observer: cannot merge ${state.bins} bins into ${this.bins}`);
    const theirs = HistogramObserver.fromJSON(state);
    const exponent = Math.max(this.exponent, theirs.exponent);
    this.growTo(exponent);
    theirs.growTo(exponent);
    for (let j = 0; j < this.counts.length; j++) this.counts[j] += theirs.counts[j];
    this.min = Math.min(this.min, theirs.min);
    this.max = Math.max(this.max, theirs.max);
    this.count += theirs.count;
  }

  /** Doubles the range until it is [−2^exponent, 2^exponent], merging neighbouring bins. */
  growTo(exponent: number): void {
    // After log2(2·bins) doublings every count sits in the two bins around 0, and further
    // doublings leave them there; so at most that many passes are needed.
    const maxPasses = Math.log2(2 * this.bins) + 1;
    for (let pass = 0; this.exponent < exponent; pass++) {
      if (pass < maxPasses) this.doubleRange();
      else this.exponent = exponent;
    }
  }

  private doubleRange(): void {
    const half = this.bins / 2;
    const grown = new Float64Array(this.counts.length);
    // Old bin j covers [−a + j·w, …); in the doubled range that is new bin half + floor(j / 2).
    for (let j = 0; j < this.counts.length; j++) grown[half + (j >> 1)] += this.counts[j];
    this.counts = grown;
    this.exponent++;
  }

  /** Histogram of |x|: `bins` counts over [0, a] (negative and positive halves folded). */
  absoluteCounts(): Float64Array {
    const out = new Float64Array(this.bins);
    for (let k = 0; k < this.bins; k++) out[k] = this.counts[this.bins + k] + this.counts[this.bins - 1 - k];
    return out;
  }

  toJSON(): HistogramState {
    return {
      kind: 'histogram',
      bins: this.bins,
      exponent: this.count === 0 || this.exponent === EMPTY_EXPONENT ? null : this.exponent,
      counts: [...this.counts],
      min: this.min,
      max: this.max,
      count: this.count,
    };
  }

  static fromJSON(state: HistogramState): HistogramObserver {
    const o = new HistogramObserver(state.bins);
    if (state.counts.length !== 2 * state.bins) throw new DataError(`histogram state: expected ${2 * state.bins} counts, got ${state.counts.length}`);
    o.exponent = state.exponent ?? EMPTY_EXPONENT;
    o.counts = Float64Array.from(state.counts);
    o.min = state.min ?? Infinity;
    o.max = state.max ?? -Infinity;
    o.count = state.count;
    return o;
  }
}

/** Smallest e with 2^e ≥ m (EMPTY_EXPONENT for m = 0). */
function exponentFor(m: number): number {
  if (!(m > 0)) return EMPTY_EXPONENT;
  let e = Math.ceil(Math.log2(m));
  if (2 ** e < m) e++;
  return Math.max(e, EMPTY_EXPONENT) + 0; // + 0: never −0
}
