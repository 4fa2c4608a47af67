/**
 * Exact dyadic rationals m · 2^e (BigInt m). Every finite double is one, and sums and products
 * of them are too, so fixed-point arithmetic on doubles can be carried out exactly and rounded
 * once at the end.
 */
import type { RoundingMode } from './rounding.ts';
import { roundRatio } from './exact-rounding.ts';
import { requireFinite } from './validate.ts';

/** The exact value mantissa · 2^exponent. */
export interface Dyadic {
  readonly mantissa: bigint;
  readonly exponent: number;
}

const scratch = new DataView(new ArrayBuffer(8));

/** The exact value of a finite double. */
export function dyadicFromNumber(x: number, where = 'dyadicFromNumber(x)'): Dyadic {
  requireFinite(x, where);
  scratch.setFloat64(0, x);
  const high = scratch.getUint32(0);
  const biased = (high >>> 20) & 0x7ff;
  const fraction = (BigInt(high & 0xfffff) << 32n) + BigInt(scratch.getUint32(4));
  const magnitude = biased === 0 ? fraction : fraction + (1n << 52n);
  return normalize(high >>> 31 ? -magnitude : magnitude, biased === 0 ? -1074 : biased - 1075);
}

/** The same value with an odd mantissa (or 0 · 2^0), so that mantissas stay short. */
function normalize(mantissa: bigint, exponent: number): Dyadic {
  if (mantissa === 0n) return { mantissa: 0n, exponent: 0 };
  const trailingZeros = (mantissa & -mantissa).toString(2).length - 1;
  return { mantissa: mantissa >> BigInt(trailingZeros), exponent: exponent + trailingZeros };
}

/** The integer n as a dyadic. */
export function dyadicFromBigInt(n: bigint): Dyadic {
  return normalize(n, 0);
}

export function addDyadic(a: Dyadic, b: Dyadic): Dyadic {
  if (a.mantissa === 0n) return b;
  if (b.mantissa === 0n) return a;
  const e = Math.min(a.exponent, b.exponent);
  return normalize((a.mantissa << BigInt(a.exponent - e)) + (b.mantissa << BigInt(b.exponent - e)), e);
}

export function negateDyadic(a: Dyadic): Dyadic {
  return { mantissa: -a.mantissa, exponent: a.exponent };
}

export function subtractDyadic(a: Dyadic, b: Dyadic): Dyadic {
  return addDyadic(a, negateDyadic(b));
}

export function multiplyDyadic(a: Dyadic, b: Dyadic): Dyadic {
  return normalize(a.mantissa * b.mantissa, a.exponent + b.exponent);
}

/** a/b rounded to an integer by `mode` (b ≠ 0): the quotient is exact before the one rounding. */
export function roundDyadicQuotient(a: Dyadic, b: Dyadic, mode: RoundingMode, random?: () => number): bigint {
  const shift = a.exponent - b.exponent;
  return shift >= 0
    ? roundRatio(a.mantissa << BigInt(shift), b.mantissa, mode, random)
    : roundRatio(a.mantissa, b.mantissa << BigInt(-shift), mode, random);
}

/** mantissa · 2^exponent as an integer; the caller knows it is one (exponent ≥ 0 or low bits zero). */
export function dyadicToBigInt(a: Dyadic): bigint {
  return a.exponent >= 0 ? a.mantissa << BigInt(a.exponent) : a.mantissa >> BigInt(-a.exponent);
}

/**
 * The nearest double (ties to even; a subnormal result may be rounded twice). The mantissa is
 * cut to 64 bits with a sticky bit first, so Number() rounds it as the exact value would round.
 */
export function dyadicToNumber(a: Dyadic): number {
  if (a.mantissa === 0n) return 0;
  const negative = a.mantissa < 0n;
  let m = negative ? -a.mantissa : a.mantissa;
  let e = a.exponent;
  const excess = m.toString(2).length - 64;
  if (excess > 0) {
    const dropped = m & ((1n << BigInt(excess)) - 1n);
    m = (m >> BigInt(excess)) | (dropped === 0n ? 0n : 1n);
    e += excess;
  }
  let x = Number(m);
  // Scale in steps so that 2^e itself never overflows or underflows.
  while (e > 0) {
    const step = Math.min(e, 1000);
    x *= 2 ** step;
    e -= step;
  }
  while (e < 0) {
    const step = Math.max(e, -1000);
    x *= 2 ** step;
    e -= step;
  }
  return negative ? -x : x;
}
