/**
 * `percentile` — clip at the p-th percentile: of |x| for symmetric schemes (one threshold), of x
 * on each side otherwise ((100 − p)-th and p-th). Values are located inside a histogram bin by
 * linear interpolation, and never beyond the observed extremes.
 */
import { RangeArgumentError } from '../../errors.ts';
import type { HistogramObserver } from '../observers/histogram.ts';
import { clipAtThreshold, schemeRange, type TensorRangeMethod } from './method.ts';

export const DEFAULT_PERCENTILE = 99.99;

export const percentileMethod: TensorRangeMethod = {
  name: 'percentile',
  level: 'tensor',
  summary: 'clip at the p-th percentile (default 99.99) of |x|, or of each tail',
  needsHistogram: true,
  choose(stats, request) {
    const p = request.percentile ?? DEFAULT_PERCENTILE;
    if (!(p > 0 && p <= 100)) throw new RangeArgumentError(`percentile must be in (0, 100], got ${p}`);
    const histogram = requireHistogram(stats.histogram, 'percentile');
    if (histogram.count === 0) return schemeRange(0, 0, request.scheme);
    if (request.scheme === 'symmetric' || request.scheme === 'symmetric-full') {
      const threshold = quantile(histogram.absoluteCounts(), 0, histogram.halfRange, p / 100);
      return clipAtThreshold(stats, threshold, request.scheme);
    }
    const a = histogram.halfRange;
    const hi = Math.min(quantile(histogram.counts, -a, a, p / 100), stats.max);
    const lo = Math.max(quantile(histogram.counts, -a, a, 1 - p / 100), stats.min);
    return schemeRange(Math.min(lo, hi), Math.max(lo, hi), request.scheme);
  },
};

/** The q-quantile (q in [0, 1]) of a histogram whose bins evenly cover [start, end]. */
export function quantile(counts: ArrayLike<number>, start: number, end: number, q: number): number {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i];
  const width = (end - start) / counts.length;
  const target = q * total;
  let cumulative = 0;
  for (let i = 0; i < counts.length; i++) {
    const next = cumulative + counts[i];
    if (next >= target && counts[i] > 0) {
      const within = (target - cumulative) / counts[i];
      return start + (i + Math.min(Math.max(within, 0), 1)) * width;
    }
    cumulative = next;
  }
  return end;
}

export function requireHistogram(histogram: HistogramObserver | undefined, method: string): HistogramObserver {
  if (histogram === undefined) throw new RangeArgumentError(`range method ${method} needs a histogram observer`);
  return histogram;
}
