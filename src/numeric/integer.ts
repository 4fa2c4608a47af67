/**
 * Integers of 1–32 bits, unsigned or two's complement, and their bit patterns ("codes").
 *
 * A b-bit code c ∈ [0, 2^b) stands for c (unsigned) or for c − 2^b·[c ≥ 2^(b−1)] (two's
 * complement: the top bit weighs −2^(b−1)). All arithmetic here is exact: values are JS numbers
 * holding integers, and products beyond 2^53 go through BigInt. (JS bitwise operators work on
 * signed 32-bit integers, so they are avoided where a 32-bit pattern could turn negative.)
 */
import { OverflowError, RangeArgumentError } from '../errors.ts';
import { requireInteger, requireIntegerIn, requireOneOf, show } from './validate.ts';

export interface IntFormat {
  /** Word length, 1–32. */
  readonly bits: number;
  /** Two's complement when true. */
  readonly signed: boolean;
}

/** What to do with a result outside [min, max]: keep the low bits, clamp, or throw OverflowError. */
export type OverflowMode = 'wrap' | 'saturate' | 'error';

export const OVERFLOW_MODES: readonly OverflowMode[] = ['wrap', 'saturate', 'error'];

/** Throws RangeArgumentError unless bits is an integer in 1–32 and signed a boolean. */
export function requireIntFormat(format: IntFormat, where: string): IntFormat {
  if (typeof format !== 'object' || format === null) throw new RangeArgumentError(`${where}: expected an integer format {bits, signed}, got ${show(format)}`);
  requireIntegerIn(format.bits, 1, 32, `${where}.bits`);
  if (typeof format.signed !== 'boolean') throw new RangeArgumentError(`${where}.signed: expected a boolean, got ${show(format.signed)}`);
  return format;
}

/**
 * The representable range: [0, 2^b − 1] unsigned, [−2^(b−1), 2^(b−1) − 1] two's complement.
 * Example: intRange(4, true) → {min: −8, max: 7}.
 */
export function intRange(bits: number, signed: boolean): { min: number; max: number } {
  requireIntFormat({ bits, signed }, 'intRange(format)');
  return signed ? { min: -(2 ** (bits - 1)), max: 2 ** (bits - 1) - 1 } : { min: 0, max: 2 ** bits - 1 };
}

/** True when the integer `value` lies outside the format's range. */
export function overflows(value: number, format: IntFormat): boolean {
  requireInteger(value, 'overflows(value)');
  const { min, max } = intRange(requireIntFormat(format, 'overflows(format)').bits, format.signed);
  return value < min || value > max;
}

/**
 * Two's complement wrap-around: the value in range congruent to `value` mod 2^b (what keeping
 * the low b bits does). Exact for every integer-valued double (`%` is exact).
 */
export function wrapInt(value: number, format: IntFormat): number {
  requireInteger(value, 'wrapInt(value)');
  const { bits, signed } = requireIntFormat(format, 'wrapInt(format)');
  const modulus = 2 ** bits;
  const low = (((value % modulus) + modulus) % modulus) + 0; // + 0 turns −0 into 0
  return signed && low >= modulus / 2 ? low - modulus : low;
}

/** Clamps `value` to [min, max] of the format. */
export function saturateInt(value: number, format: IntFormat): number {
  requireInteger(value, 'saturateInt(value)');
  const { min, max } = intRange(requireIntFormat(format, 'saturateInt(format)').bits, format.signed);
  return value < min ? min : value > max ? max : value + 0;
}

/** Brings an integer into the format by `overflow`: wrap, saturate, or throw OverflowError. */
export function fitInt(value: number, format: IntFormat, overflow: OverflowMode, where = 'fitInt(value)'): number {
  requireOneOf(overflow, OVERFLOW_MODES, `${where} overflow mode`);
  if (!overflows(value, format)) return value + 0;
  if (overflow === 'wrap') return wrapInt(value, format);
  if (overflow === 'saturate') return saturateInt(value, format);
  throw new OverflowError(`${where}: ${show(value)} does not fit ${intFormatName(format)} ${rangeText(format)}`);
}

/**
 * The bit pattern of `value` as an unsigned code in [0, 2^b): c = v mod 2^b. Out-of-range values
 * follow `overflow` (default 'error': OverflowError). Example: encodeInt(−5, {bits: 4, signed: true}) → 11 (1011).
 */
export function encodeInt(value: number, format: IntFormat, overflow: OverflowMode = 'error'): number {
  const fitted = fitInt(value, format, overflow, 'encodeInt(value)');
  return fitted < 0 ? fitted + 2 ** format.bits : fitted;
}

/** The value of a code: c, or c − 2^b when signed and c ≥ 2^(b−1). */
export function decodeInt(code: number, format: IntFormat): number {
  const { bits, signed } = requireIntFormat(format, 'decodeInt(format)');
  requireIntegerIn(code, 0, 2 ** bits - 1, `decodeInt(code) for ${intFormatName(format)}`);
  return signed && code >= 2 ** (bits - 1) ? code - 2 ** bits : code + 0;
}

// ---- arithmetic -------------------------------------------------------------------------------

/** A result in the format (wrapped or saturated per the overflow mode) and whether the exact result overflowed. */
export interface IntResult {
  readonly value: number;
  readonly overflow: boolean;
}

function operand(value: number, format: IntFormat, where: string): number {
  requireIntFormat(format, `${where} format`);
  const { min, max } = intRange(format.bits, format.signed);
  return requireIntegerIn(value, min, max, `${where} for ${intFormatName(format)}`);
}

function resultOf(exact: number, format: IntFormat, overflow: OverflowMode, where: string): IntResult {
  return { value: fitInt(exact, format, overflow, where), overflow: overflows(exact, format) };
}

/** a + b in the format; default 'wrap' gives what a b-bit adder gives, with the overflow flag. */
export function addInt(a: number, b: number, format: IntFormat, overflow: OverflowMode = 'wrap'): IntResult {
  return resultOf(operand(a, format, 'addInt(a)') + operand(b, format, 'addInt(b)'), format, overflow, 'addInt');
}

/** a − b in the format (see addInt). */
export function subtractInt(a: number, b: number, format: IntFormat, overflow: OverflowMode = 'wrap'): IntResult {
  return resultOf(operand(a, format, 'subtractInt(a)') - operand(b, format, 'subtractInt(b)'), format, overflow, 'subtractInt');
}

/** a · b in the format (see addInt). Products beyond 2^53 are wrapped exactly with BigInt. */
export function multiplyInt(a: number, b: number, format: IntFormat, overflow: OverflowMode = 'wrap'): IntResult {
  const product = operand(a, format, 'multiplyInt(a)') * operand(b, format, 'multiplyInt(b)');
  if (Number.isSafeInteger(product)) return resultOf(product, format, overflow, 'multiplyInt');
  // |a·b| > 2^53: beyond every 32-bit range, so it overflows; the double is not exact.
  requireOneOf(overflow, OVERFLOW_MODES, 'multiplyInt overflow mode');
  if (overflow === 'error') throw new OverflowError(`multiplyInt: ${a} · ${b} does not fit ${intFormatName(format)} ${rangeText(format)}`);
  if (overflow === 'saturate') return { value: saturateInt(product, format), overflow: true };
  const exact = BigInt(a) * BigInt(b);
  const low = format.signed ? BigInt.asIntN(format.bits, exact) : BigInt.asUintN(format.bits, exact);
  return { value: Number(low), overflow: true };
}

// ---- bit and hex views ------------------------------------------------------------------------

/** Options of toBitString: split the digits into groups of `group`, counted from the right. */
export interface BitStringOptions {
  readonly group?: number;
  readonly separator?: string;
}

/**
 * The b-digit binary pattern of `value`, most significant bit first. Example: 4-bit signed −5 →
 * '1011'; with {group: 4}, 8-bit 5 → '0000 0101'. Out-of-range values throw OverflowError.
 */
export function toBitString(value: number, format: IntFormat, options: BitStringOptions = {}): string {
  const digits = encodeInt(value, format, 'error').toString(2).padStart(format.bits, '0');
  const { group, separator = ' ' } = options;
  if (group === undefined) return digits;
  requireIntegerIn(group, 1, 32, 'toBitString(options.group)');
  const parts: string[] = [];
  for (let end = digits.length; end > 0; end -= group) parts.unshift(digits.slice(Math.max(0, end - group), end));
  return parts.join(separator);
}

/** '0x' and the pattern in upper-case hex, ⌈b/4⌉ digits. Example: 32-bit −4 → '0xFFFFFFFC'. */
export function toHex(value: number, format: IntFormat): string {
  const code = encodeInt(value, format, 'error');
  return `0x${code.toString(16).toUpperCase().padStart(Math.ceil(format.bits / 4), '0')}`;
}

/** One row of a number table: the value, its bit pattern and its hex pattern. */
export interface IntRow {
  readonly value: number;
  readonly bits: string;
  readonly hex: string;
}

/** The {value, bits, hex} row of one value. */
export function intRow(value: number, format: IntFormat): IntRow {
  return { value: value + 0, bits: toBitString(value, format), hex: toHex(value, format) };
}

/**
 * Rows {value, bits, hex} for `values`, or for every value min…max in ascending order when
 * omitted (allowed up to 16 bits). Example: intTable({bits: 4, signed: true}) is the lecture's
 * table −8 (1000) … 7 (0111).
 */
export function intTable(format: IntFormat, values?: readonly number[]): IntRow[] {
  requireIntFormat(format, 'intTable(format)');
  if (values === undefined) {
    if (format.bits > 16) throw new RangeArgumentError(`intTable(values): pass the values to list for ${format.bits}-bit formats (all of them is 2^${format.bits} rows)`);
    const { min, max } = intRange(format.bits, format.signed);
    values = Array.from({ length: max - min + 1 }, (_, i) => min + i);
  }
  return values.map((value) => intRow(value, format));
}

// ---- two's complement negation, step by step --------------------------------------------------

/** One step of the lecture's negation recipe. */
export interface NegationStep extends IntRow {
  readonly step: 'start' | 'complement all the bits' | 'and add a 1';
}

export interface Negation {
  /** The pattern at the start, after complementing every bit, and after adding 1 (mod 2^b). */
  readonly steps: readonly [NegationStep, NegationStep, NegationStep];
  /** The value of the final pattern: −value, or the wrapped result on overflow. */
  readonly result: number;
  /** True when −value is not representable (the minimum of a signed format, or v > 0 unsigned). */
  readonly overflow: boolean;
}

/**
 * −v in two's complement the way the lecture does it: complement all the bits (c → 2^b − 1 − c),
 * and add a 1 (mod 2^b). Example (4-bit): 5 = 0101 → 1010 → 1011 = −5.
 */
export function twosComplementNegate(value: number, format: IntFormat): Negation {
  const code = encodeInt(value, format, 'error');
  const modulus = 2 ** format.bits;
  const complemented = modulus - 1 - code;
  const plusOne = (complemented + 1) % modulus;
  const step = (s: NegationStep['step'], c: number): NegationStep => ({ step: s, ...intRow(decodeInt(c, format), format) });
  const result = decodeInt(plusOne, format);
  return {
    steps: [step('start', code), step('complement all the bits', complemented), step('and add a 1', plusOne)],
    result,
    overflow: overflows(-value, format),
  };
}

// ---- names ------------------------------------------------------------------------------------

/** 'int4', 'uint32', ... */
export function intFormatName(format: IntFormat): string {
  return `${format.signed ? 'int' : 'uint'}${format.bits}`;
}

function rangeText(format: IntFormat): string {
  const { min, max } = intRange(format.bits, format.signed);
  return `[${min}, ${max}]`;
}
