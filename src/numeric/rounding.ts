/**
 * Rounding of real numbers to integers. Half-to-even is the rounding of ONNX QuantizeLinear
 * (and of IEEE 754 by default); the others are the usual alternatives a quantizer may choose.
 */
import { RangeArgumentError } from '../errors.ts';

export type RoundingMode = 'halfToEven' | 'halfAwayFromZero' | 'floor' | 'ceil' | 'towardZero' | 'stochastic';

/** Round to nearest, ties to the even neighbour: 0.5 → 0, 1.5 → 2, 2.5 → 2, −0.5 → −0. */
export function roundHalfToEven(x: number): number {
  const r = Math.round(x); // ties toward +∞
  // Math.round(x) − x is exactly 0.5 on a tie (both operands are exact in binary).
  if (r - x === 0.5 && r % 2 !== 0) return r - 1;
  return r;
}

/** Round to nearest, ties away from zero: 0.5 → 1, −0.5 → −1, 2.5 → 3. */
export function roundHalfAwayFromZero(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

export function roundTowardZero(x: number): number {
  return Math.trunc(x);
}

/**
 * A seeded pseudo-random source in [0, 1) (mulberry32). Deterministic for a seed, so stochastic
 * rounding and k-means initialisation are reproducible.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Stochastic rounding: x rounds up with probability equal to its fractional part, so the
 * expected value of the result is x (unbiased), unlike round-to-nearest.
 */
export function roundStochastic(x: number, random: () => number): number {
  const lower = Math.floor(x);
  return random() < x - lower ? lower + 1 : lower;
}

/** The rounding function for a mode. Stochastic needs a seed (default 0). */
export function rounder(mode: RoundingMode, seed = 0): (x: number) => number {
  switch (mode) {
    case 'halfToEven':
      return roundHalfToEven;
    case 'halfAwayFromZero':
      return roundHalfAwayFromZero;
    case 'floor':
      return Math.floor;
    case 'ceil':
      return Math.ceil;
    case 'towardZero':
      return roundTowardZero;
    case 'stochastic': {
      const random = seededRandom(seed);
      return (x) => roundStochastic(x, random);
    }
    default:
      throw new RangeArgumentError(`unknown rounding mode ${JSON.stringify(mode)}`);
  }
}
