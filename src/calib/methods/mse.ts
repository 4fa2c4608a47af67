/**
 * `mse` — the range whose quantizer minimises the expected squared error over the observed
 * distribution. Each histogram bin's mass is taken as uniform over the bin, so the error of a
 * candidate is the exact integral Σ_bins (n/w) ∫ (x − Q(x))² dx of the real quantizer
 * (quant/params.ts: float32 scale, nudged zero point, saturation at qmin/qmax) — rounding noise
 * inside the range and clipping error outside, with no s²/12 approximation.
 *
 * Symmetric schemes search one threshold T over 1/256 … 1 of max|x|; asymmetric and unsigned
 * search a common shrink factor of both ends, then refine each end alone.
 */
import { paramsFromRange, type QuantParams } from '../../quant/params.ts';
import type { HistogramObserver } from '../observers/histogram.ts';
import { schemeRange, type RangeRequest, type TensorRangeMethod } from './method.ts';
import { requireHistogram } from './percentile.ts';

const STEPS = 256;

/** Expected squared error Σ over the histogram's bins of quantizing with per-tensor `params`. */
export function histogramSquaredError(histogram: HistogramObserver, params: QuantParams): number {
  const s = params.scale[0];
  const z = params.zeroPoint[0];
  const lo = s * (params.qmin - z); // smallest representable value
  const hi = s * (params.qmax - z); // largest
  const a = histogram.halfRange;
  const w = histogram.binWidth;
  const counts = histogram.counts;
  let total = 0;
  for (let j = 0; j < counts.length; j++) {
    const n = counts[j];
    if (n === 0) continue;
    const left = -a + j * w;
    total += (n / w) * integralSquaredError(left, left + w, s, lo, hi);
  }
  return total;
}

/** ∫_l^h (x − Q(x))² dx for Q(x) = clamp(s·round(x/s), lo, hi). */
function integralSquaredError(l: number, h: number, s: number, lo: number, hi: number): number {
  let total = 0;
  if (l < lo) {
    const e = Math.min(h, lo);
    total += cube(e - lo, l - lo);
    l = e;
  }
  if (h > hi) {
    const b = Math.max(l, hi);
    total += cube(h - hi, b - hi);
    h = b;
  }
  if (h <= l) return total;
  // Inside [lo, hi]: Q(x) = k·s on [(k − ½)s, (k + ½)s).
  const kl = Math.round(l / s);
  const kh = Math.round(h / s);
  if (kl === kh) return total + cube(h - kl * s, l - kl * s);
  total += cube((kl + 0.5) * s - kl * s, l - kl * s); // first partial step
  total += cube(h - kh * s, (kh - 0.5) * s - kh * s); // last partial step
  total += (kh - kl - 1) * ((s * s * s) / 12); // whole steps in between: ∫_{−s/2}^{s/2} u² du
  return total;
}

/** ∫_b^a u² du = (a³ − b³)/3. */
function cube(a: number, b: number): number {
  return (a * a * a - b * b * b) / 3;
}

function errorOf(histogram: HistogramObserver, min: number, max: number, request: RangeRequest): number {
  return histogramSquaredError(histogram, paramsFromRange(min, max, request));
}

export const mseMethod: TensorRangeMethod = {
  name: 'mse',
  level: 'tensor',
  summary: 'the range minimising the expected squared quantization error over the histogram',
  needsHistogram: true,
  choose(stats, request) {
    const histogram = requireHistogram(stats.histogram, 'mse');
    const full = schemeRange(stats.min, stats.max, request.scheme);
    if (histogram.count === 0 || (full.min === 0 && full.max === 0)) return full;
    const x: number[] = [];
    const y: number[] = [];
    // Common shrink factor α of both ends.
    let best = { min: full.min, max: full.max, error: errorOf(histogram, full.min, full.max, request) };
    for (let k = 1; k < STEPS; k++) {
      const alpha = k / STEPS;
      const error = errorOf(histogram, full.min * alpha, full.max * alpha, request);
      x.push(full.max * alpha);
      y.push(error);
      if (error < best.error) best = { min: full.min * alpha, max: full.max * alpha, error };
    }
    x.push(full.max);
    y.push(errorOf(histogram, full.min, full.max, request));
    const symmetric = request.scheme === 'symmetric' || request.scheme === 'symmetric-full';
    if (!symmetric) {
      // Refine each end alone (a skewed distribution wants different clipping per side).
      for (const side of ['min', 'max'] as const) {
        const end = full[side];
        if (end === 0) continue;
        for (let k = 1; k <= STEPS; k++) {
          const candidate = (end * k) / STEPS;
          const min = side === 'min' ? candidate : best.min;
          const max = side === 'max' ? candidate : best.max;
          const error = errorOf(histogram, min, max, request);
          if (error < best.error) best = { min, max, error };
        }
      }
    }
    return { min: best.min, max: best.max, curve: { label: 'expected squared error', x, y } };
  },
};
