/**
 * General fixed point, the lecture's "slope and bias": a stored integer q of a b-bit format
 * stands for the real value
 *
 *     real = s · q + z                                                    (slope s > 0, bias z)
 *
 * Encoding is q = round((real − z) / s), then the overflow rule of the integer format. All of
 * it is exact: the quotient is formed from the exact values of the doubles (see dyadic.ts) and
 * rounded once, so ties are ties. Arithmetic forms the exact real result of the operands and
 * rounds it once into the requested result format.
 */
import { OverflowError, RangeArgumentError } from '../errors.ts';
import { intFormatName, intRange, OVERFLOW_MODES, requireIntFormat, toBitString, type IntFormat, type OverflowMode } from './integer.ts';
import type { RoundingMode } from './rounding.ts';
import { requireRoundingMode } from './exact-rounding.ts';
import {
  addDyadic,
  dyadicFromBigInt,
  dyadicFromNumber,
  dyadicToNumber,
  multiplyDyadic,
  roundDyadicQuotient,
  subtractDyadic,
  type Dyadic,
} from './dyadic.ts';
import { requireFinite, requireIntegerIn, requireOneOf, show } from './validate.ts';

/** real = scale · q + bias, q an integer of {bits, signed}. */
export interface SlopeBiasFormat extends IntFormat {
  /** The slope s: the real step between neighbouring codes. Finite and > 0. */
  readonly scale: number;
  /** The bias z: the real value of q = 0. Finite. */
  readonly bias: number;
}

/** How a real value becomes an integer: rounding (default half to even) and overflow (default 'error'). */
export interface SlopeBiasOptions {
  readonly rounding?: RoundingMode;
  readonly overflow?: OverflowMode;
  /** Source in [0, 1) for rounding = 'stochastic' (e.g. seededRandom(seed)). */
  readonly random?: () => number;
}

/** Throws RangeArgumentError unless scale is finite and > 0, bias finite, and bits/signed valid. */
export function requireSlopeBiasFormat(format: SlopeBiasFormat, where: string): SlopeBiasFormat {
  requireIntFormat(format, where);
  if (typeof format.scale !== 'number' || !Number.isFinite(format.scale) || format.scale <= 0) {
    throw new RangeArgumentError(`${where}.scale: expected a finite number > 0, got ${show(format.scale)}`);
  }
  requireFinite(format.bias, `${where}.bias`);
  return format;
}

/** A validated SlopeBiasFormat. Example: slopeBiasFormat(1.5, 10, 3, false) is the lecture's last 3-bit table. */
export function slopeBiasFormat(scale: number, bias: number, bits: number, signed: boolean): SlopeBiasFormat {
  return requireSlopeBiasFormat({ scale, bias, bits, signed }, 'slopeBiasFormat(format)');
}

/** Rounds the exact real `real` into q of `format`: q = round((real − z)/s), then the overflow rule. */
function quantizeExact(real: Dyadic, format: SlopeBiasFormat, options: SlopeBiasOptions, where: string): { q: number; overflow: boolean } {
  const rounding = requireRoundingMode(options.rounding ?? 'halfToEven', `${where} rounding`);
  const overflow = requireOneOf(options.overflow ?? 'error', OVERFLOW_MODES, `${where} overflow`);
  const offset = subtractDyadic(real, dyadicFromNumber(format.bias));
  const rounded = roundDyadicQuotient(offset, dyadicFromNumber(format.scale), rounding, options.random);
  const { min, max } = intRange(format.bits, format.signed);
  const outside = rounded < BigInt(min) || rounded > BigInt(max);
  if (!outside) return { q: Number(rounded), overflow: false };
  if (overflow === 'error') throw new OverflowError(`${where}: rounds to q = ${rounded}, outside ${intFormatName(format)} [${min}, ${max}]`);
  if (overflow === 'saturate') return { q: rounded < 0n ? min : max, overflow: true };
  // Wrap with BigInt: far outside the range, q is beyond 2^53.
  return { q: Number(format.signed ? BigInt.asIntN(format.bits, rounded) : BigInt.asUintN(format.bits, rounded)), overflow: true };
}

/** The exact real value s·q + z of a code (no rounding). */
export function slopeBiasExact(q: number, format: SlopeBiasFormat): Dyadic {
  requireSlopeBiasFormat(format, 'slopeBiasExact(format)');
  const { min, max } = intRange(format.bits, format.signed);
  requireIntegerIn(q, min, max, 'slopeBiasExact(q)');
  return addDyadic(multiplyDyadic(dyadicFromNumber(format.scale), dyadicFromBigInt(BigInt(q))), dyadicFromNumber(format.bias));
}

/**
 * q = round((real − z) / s), rounded once from the exact quotient; out-of-range q follows
 * options.overflow (default 'error': OverflowError). Example: (s, z) = (1/4, 0), 3 bits
 * unsigned: 1.3 → 5 (5/4 = 1.25).
 */
export function encodeSlopeBias(real: number, format: SlopeBiasFormat, options: SlopeBiasOptions = {}): number {
  requireSlopeBiasFormat(format, 'encodeSlopeBias(format)');
  return quantizeExact(dyadicFromNumber(real, 'encodeSlopeBias(real)'), format, options, `encodeSlopeBias(${show(real)})`).q;
}

/** real = s · q + z, correctly rounded to a double. */
export function decodeSlopeBias(q: number, format: SlopeBiasFormat): number {
  return dyadicToNumber(slopeBiasExact(q, format));
}

/** A stored integer together with its format. */
export interface SlopeBiasNumber {
  readonly q: number;
  readonly format: SlopeBiasFormat;
}

/** An arithmetic result: q in the result format, whether it overflowed, and the exact real result before rounding. */
export interface SlopeBiasResult extends SlopeBiasNumber {
  readonly overflow: boolean;
  /** The exact real result of the operation, before rounding into `format`. */
  readonly exact: Dyadic;
  /** The real value of q in `format` (s·q + z). */
  readonly value: number;
}

function operate(
  name: string,
  combine: (a: Dyadic, b: Dyadic) => Dyadic,
  a: SlopeBiasNumber,
  b: SlopeBiasNumber,
  result: SlopeBiasFormat,
  options: SlopeBiasOptions,
): SlopeBiasResult {
  requireSlopeBiasFormat(result, `${name}(result)`);
  const exact = combine(slopeBiasExact(a.q, a.format), slopeBiasExact(b.q, b.format));
  const { q, overflow } = quantizeExact(exact, result, options, name);
  return { q, format: result, overflow, exact, value: decodeSlopeBias(q, result) };
}

/** a + b: the exact sum (s_a·q_a + z_a) + (s_b·q_b + z_b), rounded once into `result`. */
export function addSlopeBias(a: SlopeBiasNumber, b: SlopeBiasNumber, result: SlopeBiasFormat, options: SlopeBiasOptions = {}): SlopeBiasResult {
  return operate('addSlopeBias', addDyadic, a, b, result, options);
}

/** a − b, exact, then rounded once into `result`. */
export function subtractSlopeBias(a: SlopeBiasNumber, b: SlopeBiasNumber, result: SlopeBiasFormat, options: SlopeBiasOptions = {}): SlopeBiasResult {
  return operate('subtractSlopeBias', subtractDyadic, a, b, result, options);
}

/**
 * a · b = s_a·s_b·q_a·q_b + s_a·q_a·z_b + s_b·q_b·z_a + z_a·z_b (the lecture's four terms),
 * formed exactly and rounded once into `result`.
 */
export function multiplySlopeBias(a: SlopeBiasNumber, b: SlopeBiasNumber, result: SlopeBiasFormat, options: SlopeBiasOptions = {}): SlopeBiasResult {
  return operate('multiplySlopeBias', multiplyDyadic, a, b, result, options);
}

/** Whether the real value rounds to a q outside the format (with half-to-even rounding). */
export function slopeBiasOverflows(real: number, format: SlopeBiasFormat): boolean {
  requireSlopeBiasFormat(format, 'slopeBiasOverflows(format)');
  return quantizeExact(dyadicFromNumber(real, 'slopeBiasOverflows(real)'), format, { overflow: 'wrap' }, 'slopeBiasOverflows').overflow;
}

/** One row of a slope-bias table. */
export interface SlopeBiasRow {
  readonly q: number;
  /** The stored bit pattern of q. */
  readonly bits: string;
  /** s · q + z. */
  readonly real: number;
}

/**
 * Every code of the format, q ascending, with its bits and real value: the lecture's 3-bit tables
 * for (s, z) = (1, 0), (1/4, 0), (4, 0), (1.5, 10). Allowed up to 16 bits.
 */
export function slopeBiasTable(format: SlopeBiasFormat): SlopeBiasRow[] {
  requireSlopeBiasFormat(format, 'slopeBiasTable(format)');
  if (format.bits > 16) throw new RangeArgumentError(`slopeBiasTable(format.bits): ${format.bits} bits is 2^${format.bits} rows; at most 16 bits`);
  const { min, max } = intRange(format.bits, format.signed);
  const rows: SlopeBiasRow[] = [];
  for (let q = min; q <= max; q++) rows.push({ q, bits: toBitString(q, format), real: decodeSlopeBias(q, format) });
  return rows;
}
