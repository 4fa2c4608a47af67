/**
 * Seeded randomness for training: initialisation, shuffling and augmentation draw from
 * numeric/rounding.ts's mulberry32 source, each stream from its own derived seed, so a run is
 * reproducible from one seed and an epoch's stream does not depend on the epochs before it
 * (a resumed run shuffles and augments exactly as an uninterrupted one).
 */
import { seededRandom } from '../../numeric/rounding.ts';

/** The seed of stream `stream` (e.g. an epoch) under `seed` (a 32-bit integer hash). */
export function deriveSeed(seed: number, stream: number): number {
  let h = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(stream + 1, 0xc2b2ae35)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  return (h ^ (h >>> 15)) >>> 0;
}

/** Standard normal samples (Box–Muller) from a uniform source. */
export function gaussian(uniform: () => number): () => number {
  return () => {
    const u = 1 - uniform(); // (0, 1]: log stays finite
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
}

/** A seeded permutation of 0..n−1 (Fisher–Yates). */
export function permutation(n: number, uniform: () => number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(uniform() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

export { seededRandom };
