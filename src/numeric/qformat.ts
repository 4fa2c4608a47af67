/**
 * Qm.n fixed point: the slope-bias format with s = 2^−n and z = 0 (see slope-bias.ts, which does
 * all the arithmetic; this module only names formats and picks exact result formats).
 *
 * Convention: a Qm.n word has m + n bits, n of them fractional. For signed (two's complement)
 * formats m counts the sign bit, so Q1.15 is 16 bits covering [−1, 1 − 2^−15]; 'UQm.n' is
 * unsigned, covering [0, 2^m − 2^−n], e.g. UQ1.2 is the lecture's 3-bit table with s = 1/4.
 * The resolution (one step) is 2^−n.
 */
import { RangeArgumentError } from '../errors.ts';
import { dyadicToBigInt, multiplyDyadic, dyadicFromNumber } from './dyadic.ts';
import { intRange } from './integer.ts';
import {
  addSlopeBias,
  decodeSlopeBias,
  encodeSlopeBias,
  multiplySlopeBias,
  slopeBiasOverflows,
  subtractSlopeBias,
  type SlopeBiasFormat,
  type SlopeBiasOptions,
  type SlopeBiasResult,
} from './slope-bias.ts';
import { requireInteger, requireIntegerIn, show } from './validate.ts';

/** The shape of a Q format, which may be wider than 32 bits (exact intermediate results). */
export interface QShape {
  /** m: integer bits, including the sign bit when signed. */
  readonly integerBits: number;
  /** n: fraction bits. */
  readonly fractionBits: number;
  readonly signed: boolean;
  /** 'Q1.15', 'UQ1.2', ... */
  readonly name: string;
}

/** A Qm.n format of 1–32 bits: scale 2^−n, bias 0. */
export interface QFormat extends QShape, SlopeBiasFormat {}

function qName(integerBits: number, fractionBits: number, signed: boolean): string {
  return `${signed ? '' : 'U'}Q${integerBits}.${fractionBits}`;
}

/** Qm.n (signed, default) or UQm.n: m + n bits in 1–32, m ≥ 1 when signed (the sign bit). */
export function qFormat(integerBits: number, fractionBits: number, signed = true): QFormat {
  requireIntegerIn(integerBits, signed ? 1 : 0, 32, 'qFormat(integerBits)');
  requireIntegerIn(fractionBits, 0, 32, 'qFormat(fractionBits)');
  if (typeof signed !== 'boolean') throw new RangeArgumentError(`qFormat(signed): expected a boolean, got ${show(signed)}`);
  const bits = integerBits + fractionBits;
  if (bits < 1 || bits > 32) throw new RangeArgumentError(`qFormat: ${qName(integerBits, fractionBits, signed)} has ${bits} bits; a word has 1–32`);
  return { integerBits, fractionBits, signed, name: qName(integerBits, fractionBits, signed), bits, scale: 2 ** -fractionBits, bias: 0 };
}

/** 'Q1.15' → qFormat(1, 15, true); 'UQ8.8' → qFormat(8, 8, false). */
export function parseQFormat(text: string): QFormat {
  const match = typeof text === 'string' ? /^(U?)Q(\d+)\.(\d+)$/.exec(text.trim()) : null;
  if (match === null) throw new RangeArgumentError(`parseQFormat(text): ${show(text)} is not of the form Qm.n or UQm.n`);
  try {
    return qFormat(Number(match[2]), Number(match[3]), match[1] === '');
  } catch (error) {
    throw new RangeArgumentError(`parseQFormat(text): ${show(text)}: ${(error as Error).message}`);
  }
}

/** The real range [min, max]: signed [−2^(m−1), 2^(m−1) − 2^−n], unsigned [0, 2^m − 2^−n]. */
export function qRange(format: QFormat): { min: number; max: number } {
  const { min, max } = intRange(format.bits, format.signed);
  return { min: min * format.scale, max: max * format.scale };
}

/** One step, 2^−n. */
export function qResolution(format: QFormat): number {
  return format.scale;
}

/** q = round(real · 2^n), then the overflow rule (default 'error'). Example: Q1.15, 0.5 → 16384. */
export function encodeQ(real: number, format: QFormat, options: SlopeBiasOptions = {}): number {
  return encodeSlopeBias(real, format, options);
}

/** real = q · 2^−n. */
export function decodeQ(q: number, format: QFormat): number {
  return decodeSlopeBias(q, format);
}

/** Whether round(real · 2^n) falls outside the format. */
export function qOverflows(real: number, format: QFormat): boolean {
  return slopeBiasOverflows(real, format);
}

/** A stored integer with its Q format. */
export interface QNumber {
  readonly q: number;
  readonly format: QFormat;
}

/** A result in the requested format, plus the exact result as an integer of the exact format. */
export interface QResult extends SlopeBiasResult {
  readonly format: QFormat;
  /** The exact result's integer in `exactFormat` (may be wider than 32 bits, hence BigInt). */
  readonly exactQ: bigint;
  readonly exactFormat: QShape;
}

function shape(integerBits: number, fractionBits: number, signed: boolean): QShape {
  return { integerBits, fractionBits, signed, name: qName(integerBits, fractionBits, signed) };
}

/**
 * Where an exact sum fits: binary points aligned at n = max(n_a, n_b), one more integer bit than
 * the wider operand (an unsigned operand counts one more when the sum is signed).
 */
export function qSumFormat(a: QShape, b: QShape): QShape {
  const signed = a.signed || b.signed;
  const widen = (f: QShape) => f.integerBits + (signed && !f.signed ? 1 : 0);
  return shape(Math.max(widen(a), widen(b)) + 1, Math.max(a.fractionBits, b.fractionBits), signed);
}

/** Where an exact product fits: Qa.b × Qc.d = Q(a+c).(b+d) (word lengths add). */
export function qProductFormat(a: QShape, b: QShape): QShape {
  return shape(a.integerBits + b.integerBits, a.fractionBits + b.fractionBits, a.signed || b.signed);
}

function finish(raw: SlopeBiasResult, exactFormat: QShape, result: QFormat): QResult {
  const exactQ = dyadicToBigInt(multiplyDyadic(raw.exact, dyadicFromNumber(2 ** exactFormat.fractionBits)));
  return { ...raw, format: result, exactQ, exactFormat };
}

function resultFormat(exact: QShape, requested: QFormat | undefined, where: string): QFormat {
  if (requested !== undefined) return requested;
  const bits = exact.integerBits + exact.fractionBits;
  if (bits > 32) throw new RangeArgumentError(`${where}(result): the exact result ${exact.name} needs ${bits} bits; pass a result format of at most 32`);
  return qFormat(exact.integerBits, exact.fractionBits, exact.signed);
}

function checkOperand(x: QNumber, where: string): void {
  if (typeof x !== 'object' || x === null || typeof x.format !== 'object') throw new RangeArgumentError(`${where}: expected {q, format}, got ${show(x)}`);
  requireInteger(x.q, `${where}.q`);
}

/**
 * a + b: aligned exactly in qSumFormat(a, b), then rounded once into `result` (default: that
 * exact format, when it has at most 32 bits).
 */
export function addQ(a: QNumber, b: QNumber, result?: QFormat, options: SlopeBiasOptions = {}): QResult {
  checkOperand(a, 'addQ(a)');
  checkOperand(b, 'addQ(b)');
  const exact = qSumFormat(a.format, b.format);
  const target = resultFormat(exact, result, 'addQ');
  return finish(addSlopeBias(a, b, target, options), exact, target);
}

/** a − b, like addQ (the exact difference fits the same format as the sum). */
export function subtractQ(a: QNumber, b: QNumber, result?: QFormat, options: SlopeBiasOptions = {}): QResult {
  checkOperand(a, 'subtractQ(a)');
  checkOperand(b, 'subtractQ(b)');
  const exact = qSumFormat(a.format, b.format);
  const signedExact = exact.signed ? exact : shape(exact.integerBits + 1, exact.fractionBits, true); // a − b can be negative
  const target = resultFormat(signedExact, result, 'subtractQ');
  return finish(subtractSlopeBias(a, b, target, options), signedExact, target);
}

/**
 * a · b: exact in Q(a+c).(b+d), then rounded once into `result` (default: that exact format,
 * when it has at most 32 bits). Example: Q1.15 × Q1.15 → Q2.30, rescaled to Q1.15 on request.
 */
export function multiplyQ(a: QNumber, b: QNumber, result?: QFormat, options: SlopeBiasOptions = {}): QResult {
  checkOperand(a, 'multiplyQ(a)');
  checkOperand(b, 'multiplyQ(b)');
  const exact = qProductFormat(a.format, b.format);
  const target = resultFormat(exact, result, 'multiplyQ');
  return finish(multiplySlopeBias(a, b, target, options), exact, target);
}
