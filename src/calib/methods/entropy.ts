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

/**
 * TensorRT's KL search over a histogram of |x| (`counts`, bins of width `binWidth`).
 *
 * D(i) is computed as Σ (p_j/P)·((ln p_j − ln q_j) + (ln Q − ln P)) with the logarithms of the
 * counts taken once and one per merged group, instead of a logarithm per bin and candidate:
 * ~10× faster (the search was most of entropy calibration's cost). Zero divergences stay exactly
 * zero. entropy-reference.ts is the direct form; tests hold the two together.
 */
export function entropyThreshold(counts: ArrayLike<number>, binWidth: number, levels: number): EntropyResult {
  const n = counts.length;
  const startBin = Math.min(levels, n);
  const divergences = new Float64Array(n - startBin + 1);
  const logCounts = new Float64Array(n);
  for (let j = 0; j < n; j++) logCounts[j] = counts[j] > 0 ? Math.log(counts[j]) : 0;
  let outliers = 0;
  for (let j = startBin; j < n; j++) outliers += counts[j];
  let inside = 0;
  for (let j = 0; j < startBin; j++) inside += counts[j];
  let best = n;
  let bestDivergence = Infinity;
  for (let i = startBin; i <= n; i++) {
    if (i > startBin) {
      outliers -= counts[i - 1];
      inside += counts[i - 1];
    }
    divergences[i - startBin] = divergenceAt(counts, logCounts, i, levels, inside, outliers);
    // Ties keep the smaller threshold, like an argmin over increasing i.
    if (divergences[i - startBin] < bestDivergence) {
      bestDivergence = divergences[i - startBin];
      best = i;
    }
  }
  return { bins: best, threshold: (best + 0.5) * binWidth, divergences, startBin };
}

/**
 * D(i): P = counts[0 … i−1] with `outliers` added to the last bin (total inside + outliers), Q =
 * the same bins merged into `levels` groups and spread over each group's non-empty bins (total
 * inside). Only the last bin can hold mass Q lacks: counts[i−1] = 0 < outliers gives ∞.
 */
function divergenceAt(counts: ArrayLike<number>, logCounts: Float64Array, i: number, levels: number, inside: number, outliers: number): number {
  const pTotal = inside + outliers;
  if (pTotal === 0) return 0;
  if (inside === 0) return Infinity;
  if (outliers > 0 && counts[i - 1] === 0) return Infinity;
  const offset = Math.log(inside) - Math.log(pTotal); // ln Q − ln P
  const lastLog = outliers > 0 ? Math.log(counts[i - 1] + outliers) : logCounts[i - 1];
  let d = 0;
  for (let g = 0; g < levels; g++) {
    const start = Math.floor((g * i) / levels);
    const end = Math.floor(((g + 1) * i) / levels);
    let sum = 0;
    let nonEmpty = 0;
    for (let j = start; j < end; j++) {
      sum += counts[j];
      if (counts[j] > 0) nonEmpty++;
    }
    if (nonEmpty === 0) continue;
    const logShare = Math.log(sum / nonEmpty);
    for (let j = start; j < end; j++) {
      if (counts[j] === 0) continue;
      if (j === i - 1) d += ((counts[j] + outliers) / pTotal) * (lastLog - logShare + offset);
      else d += (counts[j] / pTotal) * (logCounts[j] - logShare + offset);
    }
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
