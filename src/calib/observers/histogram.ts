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
import { assertSameKind, finiteExtremes, scanExtremes, type BatchScan, type Observer } from './observer.ts';

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

/** Pending counts are folded before their total could overflow an Int32 count. */
const MAX_PENDING = 2 ** 31 - 1;

/** A batch `stage` has seen and `commit` has not yet added. */
interface Staged {
  readonly values: Float32Array;
  readonly min: number;
  readonly max: number;
  /** Its counts are in `pending` (false: it needs a larger range, or is huge, and `commit` bins it). */
  readonly binned: boolean;
}

export class HistogramObserver implements Observer<HistogramState> {
  readonly kind = 'histogram';
  readonly bins: number;
  exponent = EMPTY_EXPONENT;
  min = Infinity;
  max = -Infinity;
  count = 0;
  /** The counts, except those still pending. */
  private folded: Float64Array;
  /**
   * Counts binned by `stage` at the current exponent, not yet folded into `folded`: committing a
   * batch is then O(1), where adding its counts would sweep all the bins it spans (about as many
   * as its values, for one mnist image). Includes the staged batch's counts.
   */
  private pending: Int32Array | undefined;
  /** Values counted in `pending`. */
  private pendingValues = 0;
  private staged: Staged | undefined;

  constructor(bins = 2048) {
    if (!Number.isInteger(bins) || bins < 2 || (bins & (bins - 1)) !== 0) {
      throw new DataError(`histogram observer: bins per side must be a power of two ≥ 2, got ${bins}`);
    }
    this.bins = bins;
    this.folded = new Float64Array(2 * bins);
  }

  /** 2·bins counts, bin j covering [−a + j·w, −a + (j + 1)·w) with w = a / bins. */
  get counts(): Float64Array {
    this.fold();
    return this.folded;
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
    const counts = this.folded; // pending counts are added when counts are read
    for (let i = 0; i < values.length; i++) {
      let j = bins + Math.floor(values[i] * scale);
      if (j > last) j = last; // x = +a exactly
      counts[j]++;
    }
    if (lo < this.min) this.min = lo;
    if (hi > this.max) this.max = hi;
    this.count += values.length;
  }

  /**
   * First half of observing a batch that may yet be dropped (calibration skips samples with NaN/±∞
   * activations, leaving no trace): one pass finds the batch's extremes and its first non-finite
   * index and bins it; `commit` adds it to the statistics, `discard` (or staging another batch)
   * drops it. Nothing else may touch the observer in between. Counts, extremes and count end up
   * exactly as `observe` would leave them. (With a non-finite value, min and max are those of the
   * values before it, as in scanExtremes.)
   */
  stage(values: Float32Array): BatchScan {
    this.discard();
    if (values.length > MAX_PENDING) {
      // Too many for Int32 counts: `commit` bins it into the float counts.
      const scan = scanExtremes(values);
      if (scan.nonFinite < 0) this.staged = { values, min: scan.min, max: scan.max, binned: false };
      return scan;
    }
    if (this.pendingValues + values.length > MAX_PENDING) this.fold();
    const pending = (this.pending ??= new Int32Array(2 * this.bins));
    const scale = this.bins / this.halfRange; // exact, as in observeWithExtremes
    const { min, max, finite } = binInto(pending, values, this.bins, scale, 1);
    if (!finite) {
      binInto(pending, values, this.bins, scale, -1);
      return scanExtremes(values);
    }
    const binned = exponentFor(Math.max(-min, max)) <= this.exponent;
    // Values beyond ±a were clamped into the end bins: take them out again; `commit` grows the
    // range and bins the batch (rare: the range only doubles a few times per tensor).
    if (binned) this.pendingValues += values.length;
    else binInto(pending, values, this.bins, scale, -1);
    this.staged = { values, min, max, binned };
    return { min, max, nonFinite: -1 };
  }

  /** Adds the staged batch to the statistics (see `stage`). */
  commit(): void {
    const staged = this.staged;
    if (staged === undefined) return;
    this.staged = undefined;
    if (!staged.binned) return this.observeWithExtremes(staged.values, staged.min, staged.max);
    if (staged.values.length === 0) return;
    if (staged.min < this.min) this.min = staged.min;
    if (staged.max > this.max) this.max = staged.max;
    this.count += staged.values.length;
  }

  /** Drops the staged batch, if any. */
  discard(): void {
    const staged = this.staged;
    if (staged === undefined) return;
    this.staged = undefined;
    if (!staged.binned) return;
    binInto(this.pending!, staged.values, this.bins, this.bins / this.halfRange, -1);
    this.pendingValues -= staged.values.length;
  }

  /** Adds the pending counts to `folded`. */
  private fold(): void {
    if (this.pendingValues === 0) return;
    if (this.staged?.binned) throw new Error('histogram observer: commit or discard the staged batch first');
    const pending = this.pending!;
    const folded = this.folded;
    for (let j = 0; j < folded.length; j++) folded[j] += pending[j];
    pending.fill(0);
    this.pendingValues = 0;
  }

  merge(other: Observer<HistogramState>): void {
    assertSameKind(this, other);
    // A copy, because growing it must not change `other`; directly when it is a HistogramObserver.
    const theirs = other instanceof HistogramObserver ? other.copy() : HistogramObserver.fromJSON(other.toJSON());
    if (theirs.bins !== this.bins) throw new DataError(`histogram observer: cannot merge ${theirs.bins} bins into ${this.bins}`);
    const exponent = Math.max(this.exponent, theirs.exponent);
    this.growTo(exponent);
    theirs.growTo(exponent);
    const counts = this.counts;
    const added = theirs.counts;
    for (let j = 0; j < counts.length; j++) counts[j] += added[j];
    this.min = Math.min(this.min, theirs.min);
    this.max = Math.max(this.max, theirs.max);
    this.count += theirs.count;
  }

  /** Doubles the range until it is [−2^exponent, 2^exponent], merging neighbouring bins. */
  growTo(exponent: number): void {
    if (this.exponent >= exponent) return;
    if (this.count === 0) {
      this.exponent = exponent; // all counts are 0: no bins to merge
      return;
    }
    this.fold();
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
    const counts = this.folded; // growTo folded the pending counts
    const grown = new Float64Array(counts.length);
    // Old bin j covers [−a + j·w, …); in the doubled range that is new bin half + floor(j / 2).
    for (let j = 0; j < counts.length; j++) grown[half + (j >> 1)] += counts[j];
    this.folded = grown;
    this.exponent++;
  }

  /** Histogram of |x|: `bins` counts over [0, a] (negative and positive halves folded). */
  absoluteCounts(): Float64Array {
    const counts = this.counts;
    const out = new Float64Array(this.bins);
    for (let k = 0; k < this.bins; k++) out[k] = counts[this.bins + k] + counts[this.bins - 1 - k];
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

  /** An independent observer with the same statistics (a staged batch is not copied). */
  copy(): HistogramObserver {
    const o = new HistogramObserver(this.bins);
    o.exponent = this.exponent;
    o.folded = this.counts.slice();
    o.min = this.min;
    o.max = this.max;
    o.count = this.count;
    return o;
  }

  static fromJSON(state: HistogramState): HistogramObserver {
    const o = new HistogramObserver(state.bins);
    if (state.counts.length !== 2 * state.bins) throw new DataError(`histogram state: expected ${2 * state.bins} counts, got ${state.counts.length}`);
    o.exponent = state.exponent ?? EMPTY_EXPONENT;
    o.folded = Float64Array.from(state.counts);
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

/**
 * Adds `delta` to the count of every value's bin (scale = bins / a) and returns the extremes and
 * whether all values were finite. Out-of-range values and NaN/±∞ land in arbitrary valid bins, the
 * same ones each time, so −1 undoes +1 exactly; in-range values land exactly where
 * observeWithExtremes puts them (|0 is exact for |x·scale| ≤ bins, and, unlike an int32 check on
 * floor(), never deoptimises on the huge x of an empty observer's first batch). The non-finite
 * check is a running sum of v − v (NaN for NaN and ±∞): an early exit in the loop made it ~1.5×
 * slower. Several interleaved sub-histograms, against the store→load chain of repeated bins,
 * measured slower here (more index arithmetic; the chain did not limit this loop).
 */
function binInto(pending: Int32Array, values: Float32Array, bins: number, scale: number, delta: number): { min: number; max: number; finite: boolean } {
  const last = 2 * bins - 1;
  let min = Infinity;
  let max = -Infinity;
  let check = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    check += v - v;
    if (v < min) min = v;
    if (v > max) max = v;
    let j = bins + (Math.floor(v * scale) | 0);
    if (j < 0) j = 0;
    else if (j > last) j = last; // x = +a exactly
    pending[j] += delta;
  }
  return { min, max, finite: check === 0 };
}
