/**
 * The direct form of the entropy method's KL search (entropy.ts `entropyThreshold`): P and Q
 * built bin by bin for every candidate i and D(P‖Q) summed with a logarithm per bin, as the
 * lecture's TensorRT slide describes it. Slow (a logarithm per bin and candidate); the reference
 * test/calib/methods/entropy.test.ts holds the fast form to.
 */
import type { EntropyResult } from './entropy.ts';

/** TensorRT's KL search over a histogram of |x| (`counts`, bins of width `binWidth`). */
export function entropyThresholdReference(counts: ArrayLike<number>, binWidth: number, levels: number): EntropyResult {
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

