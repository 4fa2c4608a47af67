/**
 * Codebook quantization, docs/QUANTIZATION.md eq. (20): K ≤ 256 centroids fitted to the data by
 * Lloyd-Max (1-D k-means), a float32 lookup table, indices as codes.
 *
 * In 1-D the nearest-centroid cells of sorted centroids are intervals bounded by midpoints, so
 * the data is sorted once and every Lloyd iteration is one linear pass. A value exactly on a
 * midpoint belongs to the lower cell. An empty cell keeps its centroid, so the MSE never
 * increases and the centroids stay sorted.
 */
import { RangeArgumentError } from '../errors.ts';
import { seededRandom } from '../numeric/rounding.ts';

export type CodebookInit = 'quantile' | 'kmeans++';

export interface CodebookOptions {
  /** Number of centroids K, 2–256. */
  readonly size: number;
  /** 'quantile' (deterministic: the (j + ½)/K quantiles, the default) or seeded 'kmeans++'. */
  readonly init?: CodebookInit;
  readonly seed?: number;
  /** Default 100. */
  readonly maxIterations?: number;
  /** Stop when an iteration lowers the MSE by less than tolerance·MSE (default 1e-9). */
  readonly tolerance?: number;
}

export interface CodebookFit {
  /** The lookup table, ascending. */
  readonly centroids: Float32Array;
  /** MSE (float64 centroids) at initialisation and after each iteration; non-increasing. */
  readonly mse: readonly number[];
  readonly iterations: number;
}

/** Fits K centroids to the data by Lloyd's iteration. eq. (20) */
export function fitCodebook(data: Float32Array, options: CodebookOptions): CodebookFit {
  const { size, init = 'quantile', seed = 0, maxIterations = 100, tolerance = 1e-9 } = options;
  if (!Number.isInteger(size) || size < 2 || size > 256) throw new RangeArgumentError(`fitCodebook: size ${size} must be an integer in 2–256`);
  if (!Number.isInteger(maxIterations) || maxIterations < 0) throw new RangeArgumentError(`fitCodebook: maxIterations ${maxIterations} must be an integer ≥ 0`);
  if (!(tolerance >= 0)) throw new RangeArgumentError(`fitCodebook: tolerance ${tolerance} must be ≥ 0`);
  if (init !== 'quantile' && init !== 'kmeans++') throw new RangeArgumentError(`fitCodebook: init ${JSON.stringify(init)} is not 'quantile' or 'kmeans++'`);
  if (data.length === 0) throw new RangeArgumentError('fitCodebook: no data');
  const sorted = Float64Array.from(data);
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i] - sorted[i] !== 0) throw new RangeArgumentError(`fitCodebook: element ${i} is ${sorted[i]}; only finite values can be quantized`);
  }
  sorted.sort();
  let centroids = init === 'quantile' ? quantileInit(sorted, size) : kMeansPlusPlusInit(sorted, size, seed);
  let step = lloydStep(sorted, centroids);
  const mse = [step.mse];
  let iterations = 0;
  while (iterations < maxIterations) {
    const next = lloydStep(sorted, step.means);
    iterations++;
    centroids = step.means;
    const gain = step.mse - next.mse;
    step = next;
    mse.push(next.mse);
    if (gain <= tolerance * next.mse) break;
  }
  return { centroids: Float32Array.from(centroids), mse, iterations };
}

/** Index of the nearest centroid of each value (centroids ascending; a midpoint goes to the lower). */
export function encodeCodebook(data: Float32Array, centroids: Float32Array): Uint8Array {
  checkTable(centroids, 'encodeCodebook');
  const k = centroids.length;
  const mids = new Float64Array(k - 1);
  for (let j = 0; j < k - 1; j++) mids[j] = (centroids[j] + centroids[j + 1]) / 2;
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const x = data[i];
    if (x - x !== 0) throw new RangeArgumentError(`encodeCodebook: element ${i} is ${x}; only finite values can be quantized`);
    // number of midpoints strictly below x
    let lo = 0;
    let hi = k - 1;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (mids[m] < x) lo = m + 1;
      else hi = m;
    }
    out[i] = lo;
  }
  return out;
}

/** The centroid of each index. */
export function decodeCodebook(indices: Uint8Array, centroids: Float32Array): Float32Array {
  checkTable(centroids, 'decodeCodebook');
  const out = new Float32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i];
    if (j >= centroids.length) throw new RangeArgumentError(`decodeCodebook: index ${j} at position ${i} exceeds the table of ${centroids.length}`);
    out[i] = centroids[j];
  }
  return out;
}

// One Lloyd iteration on sorted data: the MSE of the current centroids and the means of their cells.
function lloydStep(sorted: Float64Array, centroids: Float64Array): { mse: number; means: Float64Array } {
  const k = centroids.length;
  const means = Float64Array.from(centroids);
  let sse = 0;
  let i = 0;
  for (let j = 0; j < k; j++) {
    const upper = j < k - 1 ? (centroids[j] + centroids[j + 1]) / 2 : Infinity;
    const start = i;
    let sum = 0;
    const c = centroids[j];
    for (; i < sorted.length && sorted[i] <= upper; i++) {
      sum += sorted[i];
      sse += (sorted[i] - c) * (sorted[i] - c);
    }
    if (i > start) means[j] = sum / (i - start); // an empty cell keeps its centroid
  }
  return { mse: sse / sorted.length, means };
}

function quantileInit(sorted: Float64Array, k: number): Float64Array {
  const c = new Float64Array(k);
  for (let j = 0; j < k; j++) c[j] = sorted[Math.min(Math.floor(((j + 0.5) * sorted.length) / k), sorted.length - 1)];
  return c;
}

// k-means++: each next centroid drawn with probability ∝ squared distance to the nearest chosen one. O(n·K).
function kMeansPlusPlusInit(sorted: Float64Array, k: number, seed: number): Float64Array {
  const random = seededRandom(seed);
  const n = sorted.length;
  const c = new Float64Array(k);
  c[0] = sorted[Math.floor(random() * n)];
  const d2 = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) total += d2[i] = (sorted[i] - c[0]) ** 2;
  for (let j = 1; j < k; j++) {
    let pick = n - 1;
    if (total > 0) {
      let target = random() * total;
      for (let i = 0; i < n; i++) {
        target -= d2[i];
        if (target < 0) {
          pick = i;
          break;
        }
      }
    }
    c[j] = sorted[pick];
    total = 0;
    for (let i = 0; i < n; i++) {
      const d = (sorted[i] - c[j]) ** 2;
      if (d < d2[i]) d2[i] = d;
      total += d2[i];
    }
  }
  return c.sort();
}

function checkTable(centroids: Float32Array, where: string): void {
  if (centroids.length < 1 || centroids.length > 256) throw new RangeArgumentError(`${where}: table of ${centroids.length} centroids (expected 1–256)`);
  for (let j = 1; j < centroids.length; j++) {
    if (!(centroids[j - 1] <= centroids[j])) throw new RangeArgumentError(`${where}: centroids must be ascending (index ${j}: ${centroids[j - 1]} then ${centroids[j]})`);
  }
}
