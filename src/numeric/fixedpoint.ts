/**
 * Integer primitives of fixed-point requantization, with gemmlowp / TFLite semantics
 * (docs/QUANTIZATION.md §6). All values are int32 in and out, and every result is exact: the one
 * wide product is used directly when below 2^52 (exact in float64) and otherwise formed from
 * 16-bit halves, each partial product exact in float64.
 *
 * The hot-path primitives do not validate their arguments (kernels call them per element);
 * callers pass int32 values and exponents in [0, 31], as in gemmlowp. quantizeMultiplier, which
 * runs once per layer, validates its input.
 */
import { RangeArgumentError } from '../errors.ts';

const TWO_31 = 2147483648;
const TWO_30 = 1073741824;
const TWO_52 = 4503599627370496;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * round(a·b / 2^31), the high 32 bits of 2ab rounded to nearest with ties toward +∞, i.e.
 * trunc((a·b + nudge) / 2^31) with nudge = 2^30 (ab ≥ 0) or 1 − 2^30 (ab < 0); the single
 * overflow case a = b = −2^31 saturates to 2^31 − 1. eq. (15)
 */
export function saturatingRoundingDoublingHighMul(a: number, b: number): number {
  const product = a * b;
  if (product > -TWO_52 && product < TWO_52) {
    // exact in float64, and so is product + nudge; `| 0` truncates toward zero like C's division
    return ((product + (product >= 0 ? TWO_30 : 1 - TWO_30)) / TWO_31) | 0;
  }
  if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX;
  // a = ah·2^16 + al with al in [0, 2^16): ab = ah·bh·2^32 + (ah·bl + al·bh)·2^16 + al·bl.
  const ah = a >> 16;
  const al = a & 0xffff;
  const bh = b >> 16;
  const bl = b & 0xffff;
  const high = ah * bh; // |high| ≤ 2^30, exact
  const mid = ah * bl + al * bh; // |mid| < 2^32, exact
  const low = al * bl; // < 2^32, exact
  const negative = a !== 0 && b !== 0 && (a < 0) !== (b < 0);
  // ab + nudge = 2·high·2^31 + rest, with |rest| < 2^49 exact in float64.
  const rest = mid * 65536 + low + (negative ? 1 - TWO_30 : TWO_30);
  const restFloor = Math.floor(rest / TWO_31);
  const floorQuotient = 2 * high + restFloor; // floor((ab + nudge) / 2^31)
  const remainder = rest - restFloor * TWO_31;
  // C's integer division truncates toward zero: a negative inexact quotient rounds up.
  return floorQuotient < 0 && remainder !== 0 ? floorQuotient + 1 : floorQuotient;
}

/** round(x / 2^exponent) with ties away from zero (gemmlowp RoundingDivideByPOT), 0 ≤ exponent ≤ 31. eq. (16) */
export function roundingDivideByPOT(x: number, exponent: number): number {
  const mask = ((1 << exponent) - 1) | 0; // exponent 31: (−2^31 − 1) | 0 = 2^31 − 1
  const remainder = x & mask;
  const threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/**
 * x · multiplier · 2^(shift − 31), rounded as TFLite's MultiplyByQuantizedMultiplier: left shift
 * by max(shift, 0), SRDHM, then rounding right shift by max(−shift, 0). x · 2^shift must fit int32
 * (beyond it the int32 product wraps, as in TFLite). eq. (17)
 */
export function multiplyByQuantizedMultiplier(x: number, multiplier: number, shift: number): number {
  const left = shift > 0 ? shift : 0;
  const right = shift > 0 ? 0 : -shift;
  return roundingDivideByPOT(saturatingRoundingDoublingHighMul(Math.imul(x, 1 << left), multiplier), right);
}

/** A real multiplier as M0 · 2^(shift − 31): `multiplier` (M0) an int32 in [2^30, 2^31), or 0. */
export interface QuantizedMultiplier {
  readonly multiplier: number;
  readonly shift: number;
}

/**
 * real ≈ multiplier · 2^(shift − 31) with multiplier = round_half_away(frac · 2^31) ∈ [2^30, 2^31),
 * where real = frac · 2^shift, frac ∈ [0.5, 1) (TFLite QuantizeMultiplier). eq. (14)
 *
 * - real = 0 → { multiplier: 0, shift: 0 };
 * - frac rounding up to 1 is renormalised: multiplier 2^30, shift + 1;
 * - shift < −31 (real below about 2^−32) → { multiplier: 0, shift: 0 }: every int32 product would
 *   round to 0 anyway;
 * - real ≥ 2^30 − 2^−2 (rounding to shift > 30) cannot be applied as an int32 left shift →
 *   RangeArgumentError, as are negative or non-finite reals.
 */
export function quantizeMultiplier(real: number): QuantizedMultiplier {
  if (!Number.isFinite(real) || real < 0) {
    throw new RangeArgumentError(`quantizeMultiplier: real multiplier ${real} must be a finite number ≥ 0`);
  }
  if (real === 0 || real < 2 ** -40) return { multiplier: 0, shift: 0 };
  let shift = Math.floor(Math.log2(real)) + 1;
  // Math.log2 may be off by one near powers of two: fix so that frac ∈ [0.5, 1).
  if (real / 2 ** shift >= 1) shift += 1;
  else if (real / 2 ** shift < 0.5) shift -= 1;
  let multiplier = Math.round((real / 2 ** shift) * TWO_31); // positive: ties away from zero
  if (multiplier === TWO_31) {
    multiplier = TWO_30;
    shift += 1;
  }
  if (shift < -31) return { multiplier: 0, shift: 0 };
  if (shift > 30) {
    throw new RangeArgumentError(`quantizeMultiplier: real multiplier ${real} needs shift ${shift} > 30, which int32 cannot apply`);
  }
  return { multiplier, shift };
}
