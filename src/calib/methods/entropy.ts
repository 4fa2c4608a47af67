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
 * D(i) is computed as Σ (p_j/P)·((ln p_j − ln q_j) + (ln Q − ln P)) (p, q unnormalised, P, Q their
 * totals), group by group. A group without the last bin i − 1 contributes
 * T(start, end) = Σ c_j·(ln c_j − ln(S/n)) (S its sum, n its non-empty bins), which does not
 * depend on i, plus S·(ln Q − ln P). A candidate's groups are ⌊i/levels⌋ or ⌊i/levels⌋ + 1 bins
 * wide, so T is memoised by start for those two widths (GroupTerms) and computed once each; only
 * the last group, which takes the outliers, is summed per candidate. A candidate then costs
 * `levels` look-ups instead of a pass over its i bins (buildPlan on mnist-8: ~115 → ~12 ms).
 * Zero divergences stay exactly zero. entropy-reference.ts is the direct form; tests hold the
 * two together.
 */
export function entropyThreshold(counts: ArrayLike<number>, binWidth: number, levels: number): EntropyResult {
  const n = counts.length;
  const startBin = Math.min(levels, n);
  const divergences = new Float64Array(n - startBin + 1);
  const c = Float64Array.from(counts); // one element kind for the hot loops
  const logCounts = new Float64Array(n);
  for (let j = 0; j < n; j++) logCounts[j] = c[j] > 0 ? Math.log(c[j]) : 0;
  const terms = new GroupTerms(c, logCounts, Math.floor(startBin / levels));
  let outliers = 0;
  for (let j = startBin; j < n; j++) outliers += c[j];
  let inside = 0;
  for (let j = 0; j < startBin; j++) inside += c[j];
  let best = n;
  let bestDivergence = Infinity;
  for (let i = startBin; i <= n; i++) {
    if (i > startBin) {
      outliers -= c[i - 1];
      inside += c[i - 1];
    }
    terms.moveTo(Math.floor(i / levels));
    divergences[i - startBin] = divergenceAt(c, logCounts, terms, i, levels, inside, outliers);
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
function divergenceAt(counts: Float64Array, logCounts: Float64Array, terms: GroupTerms, i: number, levels: number, inside: number, outliers: number): number {
  const pTotal = inside + outliers;
  if (pTotal === 0) return 0;
  if (inside === 0) return Infinity;
  if (outliers > 0 && counts[i - 1] === 0) return Infinity;
  const offset = Math.log(inside) - Math.log(pTotal); // ln Q − ln P
  // Group g ends at ⌊(g+1)·i/levels⌋ = (g+1)·w + ⌊(g+1)·r/levels⌋ (i = w·levels + r): stepping the
  // remainder finds each group's end and width without a division.
  const w = terms.width;
  const r = i - w * levels;
  const memo = terms.memo;
  let d = 0;
  let start = 0;
  let frac = 0;
  for (let g = 0; g < levels - 1; g++) {
    let k = 2 * start; // memo[2·start] holds the narrow group, memo[2·start + 1] the wide one
    let end = start + w;
    frac += r;
    if (frac >= levels) {
      frac -= levels;
      end++;
      k++;
    }
    let t = memo[k];
    if (t !== t) memo[k] = t = terms.compute(start, end); // NaN: not computed yet
    d += t;
    start = end;
  }
  // The last group [⌊(levels−1)·i/levels⌋, i) holds bin i − 1.
  const lastStart = start;
  let sum = 0;
  let nonEmpty = 0;
  for (let j = lastStart; j < i; j++) {
    sum += counts[j];
    if (counts[j] > 0) nonEmpty++;
  }
  d += (inside - sum) * offset; // the other groups' offset terms: their mass is inside − sum
  if (nonEmpty > 0) {
    const logShare = Math.log(sum / nonEmpty);
    for (let j = lastStart; j < i - 1; j++) if (counts[j] > 0) d += counts[j] * (logCounts[j] - logShare + offset);
    if (counts[i - 1] > 0) {
      const lastLog = outliers > 0 ? Math.log(counts[i - 1] + outliers) : logCounts[i - 1];
      d += (counts[i - 1] + outliers) * (lastLog - logShare + offset);
    }
  }
  return d / pTotal;
}

/**
 * T(start, end) = Σ c_j·(ln c_j − ln(S/n)) over the group's non-empty bins, memoised (NaN = not
 * yet computed) for the two widths the current candidate's groups have; moving to the next width
 * keeps the wider entries and forgets the narrower.
 */
class GroupTerms {
  /** T of the group starting at bin s: memo[2s] if it is `width` bins wide, memo[2s + 1] if width + 1. */
  readonly memo: Float64Array;

  constructor(
    private readonly counts: Float64Array,
    private readonly logCounts: Float64Array,
    public width: number,
  ) {
    this.memo = new Float64Array(2 * counts.length).fill(NaN);
  }

  /** Groups are now `width` or `width + 1` bins wide (width grows by at most 1 per candidate). */
  moveTo(width: number): void {
    if (width === this.width) return;
    const memo = this.memo;
    for (let k = 0; k < memo.length; k += 2) {
      memo[k] = memo[k + 1];
      memo[k + 1] = NaN;
    }
    this.width = width;
  }

  compute(start: number, end: number): number {
    const counts = this.counts;
    let sum = 0;
    let nonEmpty = 0;
    for (let j = start; j < end; j++) {
      sum += counts[j];
      if (counts[j] > 0) nonEmpty++;
    }
    if (nonEmpty === 0) return 0;
    const logShare = Math.log(sum / nonEmpty);
    let t = 0;
    for (let j = start; j < end; j++) if (counts[j] > 0) t += counts[j] * (this.logCounts[j] - logShare);
    return t;
  }
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
    const binWidth = histogram.binWidth; // a getter computing 2^e: once, not per point
    const result = entropyThreshold(counts, binWidth, entropyLevels(stats, request));
    const x: number[] = [];
    const y: number[] = [];
    result.divergences.forEach((d, k) => {
      x.push((result.startBin + k + 0.5) * binWidth);
      y.push(d);
    });
    return { ...clipAtThreshold(stats, result.threshold, request.scheme), curve: { label: 'KL divergence', x, y } };
  },
};
