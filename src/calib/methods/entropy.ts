/**
 * `entropy` — TensorRT's saturation calibration (the lecture's "8-bit Inference with TensorRT"):
 * choose the threshold T whose int8 encoding loses the least information, measured by the
 * Kullback–Leibler divergence between the reference distribution P and its quantized version Q.
 *
 * Over the 2048-bin histogram of |x|, for every candidate i from `levels` (128 for int8) to 2048:
 *   P = bins[0 … i−1], with the outliers bins[i …] added to P[i−1]   (clipping saturates them)
 *   Q = bins[0 … i−1] merged into `levels` groups, each group's count spread evenly over the
 *       group's non-empty bins (empty bins stay empty)
 *   D(i) = Σ P(j) · log(P(j) / Q(j)) over P(j) > 0, with P and Q normalised; Q(j) = 0 < P(j) gives ∞
 * and T = (argminᵢ D(i) + 0.5) · binWidth, as on the slide. Groups are bins
 * [⌊g·i/levels⌋, ⌊(g+1)·i/levels⌋), so i need not be a multiple of `levels`.
 *
 * `levels` generalises TensorRT's 128 to other widths: 2^(bits−1) (the positive half of a signed
 * range), or 2^bits when the scheme is unsigned/asymmetric and the tensor is non-negative (all
 * levels then serve |x|).
 *
 * The bin holding 0 is given its neighbour's count before the search (as NVIDIA's own KL
 * calibrator does): after a ReLU most values are exactly 0, and that spike, smeared over its
 * merged group in Q, would dominate D(i) and drive the threshold far too low (on mnist-8, from
 * ≈930 down to ≈256, clipping 8% of the values).
 */
import { clipAtThreshold, schemeRange, type RangeRequest, type TensorRangeMethod, type TensorStatistics } from './method.ts';
import { requireHistogram } from './percentile.ts';

export interface EntropyResult {
  /** Number of bins kept (the argmin i). */
  readonly bins: number;
  readonly threshold: number;
  /** D(i) for i = startBin … counts.length (index k ↔ i = startBin + k). */
  readonly divergences: Float64Array;
  readonly startBin: number;
}

/** TensorRT's KL search over a histogram of |x| (`counts`, bins of width `binWidth`). */
export function entropyThreshold(counts: ArrayLike<number>, binWidth: number, levels: number): EntropyResult {
  const n = counts.length;
  const startBin = Math.min(levels, n);
  const divergences = new Float64Array(n - startBin + 1);
  const p = new Float64Array(n);
  const q = new Float64Array(n);
  let outliers = 0;
  for (let j = startBin; j < n; j++) outliers += counts[j];
  let best = n;
  let bestDivergence = Infinity;
  for (let i = startBin; i <= n; i++) {
    if (i > startBin) outliers -= counts[i - 1];
    // P: the first i bins, outliers saturated into the last.
    let pTotal = 0;
    for (let j = 0; j < i; j++) {
      p[j] = counts[j];
      pTotal += counts[j];
    }
    p[i - 1] += outliers;
    pTotal += outliers;
    // Q: merge into `levels` groups, expand back over each group's non-empty bins.
    let qTotal = 0;
    for (let g = 0; g < levels; g++) {
      const start = Math.floor((g * i) / levels);
      const end = Math.floor(((g + 1) * i) / levels);
      let sum = 0;
      let nonEmpty = 0;
      for (let j = start; j < end; j++) {
        sum += counts[j];
        if (counts[j] > 0) nonEmpty++;
      }
      const share = nonEmpty > 0 ? sum / nonEmpty : 0;
      for (let j = start; j < end; j++) q[j] = counts[j] > 0 ? share : 0;
      qTotal += sum;
    }
    const divergence = klDivergence(p, pTotal, q, qTotal, i);
    divergences[i - startBin] = divergence;
    // Ties keep the smaller threshold, like an argmin over increasing i.
    if (divergence < bestDivergence) {
      bestDivergence = divergence;
      best = i;
    }
  }
  return { bins: best, threshold: (best + 0.5) * binWidth, divergences, startBin };
}

/** D(P‖Q) of the first `length` entries of two unnormalised distributions. */
function klDivergence(p: Float64Array, pTotal: number, q: Float64Array, qTotal: number, length: number): number {
  if (pTotal === 0) return 0;
  if (qTotal === 0) return Infinity;
  let d = 0;
  for (let j = 0; j < length; j++) {
    if (p[j] === 0) continue;
    if (q[j] === 0) return Infinity;
    const pj = p[j] / pTotal;
    d += pj * Math.log(pj / (q[j] / qTotal));
  }
  return d;
}

export function entropyLevels(stats: TensorStatistics, request: RangeRequest): number {
  const nonNegative = stats.min >= 0;
  const allLevels = (request.scheme === 'unsigned' || request.scheme === 'asymmetric') && nonNegative;
  return 2 ** (allLevels ? request.bits : request.bits - 1);
}

export const entropyMethod: TensorRangeMethod = {
  name: 'entropy',
  level: 'tensor',
  summary: "TensorRT's KL-divergence saturation: 2048-bin |x| histogram, thresholds from bin 128, 128 levels (int8)",
  needsHistogram: true,
  choose(stats, request) {
    const histogram = requireHistogram(stats.histogram, 'entropy');
    if (histogram.count === 0 || (stats.min === 0 && stats.max === 0)) return schemeRange(0, 0, request.scheme);
    const counts = histogram.absoluteCounts();
    counts[0] = counts[1]; // the zero spike (see above)
    const result = entropyThreshold(counts, histogram.binWidth, entropyLevels(stats, request));
    const x: number[] = [];
    const y: number[] = [];
    result.divergences.forEach((d, k) => {
      x.push((result.startBin + k + 0.5) * histogram.binWidth);
      y.push(d);
    });
    return { ...clipAtThreshold(stats, result.threshold, request.scheme), curve: { label: 'KL divergence', x, y } };
  },
};
