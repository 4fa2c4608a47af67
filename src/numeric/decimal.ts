/**
 * Decimal arithmetic with n significant digits, to replay the lecture's catastrophic
 * cancellation examples exactly. A Decimal is the exact value coefficient · 10^exponent (BigInt
 * coefficient). Operands are taken exactly; each operation forms the exact result and rounds it
 * once to n significant digits, keeping exactly n digits (so 10/2 with 2 digits prints "5.0").
 */
import { RangeArgumentError } from '../errors.ts';
import type { RoundingMode } from './rounding.ts';
import { roundRatio } from './exact-rounding.ts';
import { requireFinite, requireIntegerIn, requireOneOf, show } from './validate.ts';

/** The exact value coefficient · 10^exponent. */
export interface Decimal {
  readonly coefficient: bigint;
  readonly exponent: number;
}

/** A Decimal, a number (read by its shortest round-trip decimal form) or a decimal string. */
export type DecimalLike = Decimal | number | string;

/** Significant digits and rounding (default half to even; stochastic is not offered here). */
export interface DecimalContext {
  readonly digits: number;
  readonly rounding?: Exclude<RoundingMode, 'stochastic'>;
}

const DECIMAL_ROUNDING: readonly Exclude<RoundingMode, 'stochastic'>[] = ['halfToEven', 'halfAwayFromZero', 'floor', 'ceil', 'towardZero'];
const MAX_DIGITS = 10000;

// ---- reading and writing ----------------------------------------------------------------------

/** Parses '12.50', '-1e-7', '.5', '3.' exactly (trailing zeros are kept in the coefficient). */
export function parseDecimal(text: string): Decimal {
  const match = typeof text === 'string' ? /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim()) : null;
  const whole = match?.[2] ?? '';
  const fraction = match?.[3] ?? '';
  if (match === null || whole.length + fraction.length === 0) {
    throw new RangeArgumentError(`parseDecimal(text): ${show(text)} is not a decimal number`);
  }
  const exponent = Number(match[4] ?? '0') - fraction.length;
  if (!Number.isSafeInteger(exponent)) throw new RangeArgumentError(`parseDecimal(text): exponent of ${show(text)} is out of range`);
  const magnitude = BigInt(whole + fraction);
  return { coefficient: match[1] === '-' ? -magnitude : magnitude, exponent };
}

/** The shortest decimal that reads back as x (JavaScript's String(x)): 0.1 → 0.1, not 0.1000000000000000055…. */
export function decimalFromNumber(x: number): Decimal {
  return parseDecimal(String(requireFinite(x, 'decimalFromNumber(x)')));
}

export function toDecimal(x: DecimalLike, where = 'toDecimal(x)'): Decimal {
  if (typeof x === 'number') {
    requireFinite(x, where);
    return decimalFromNumber(x);
  }
  if (typeof x === 'string') return parseDecimal(x);
  if (typeof x === 'object' && x !== null && typeof x.coefficient === 'bigint' && Number.isSafeInteger(x.exponent)) return x;
  throw new RangeArgumentError(`${where}: expected a Decimal, number or decimal string, got ${show(x)}`);
}

function digitCount(n: bigint): number {
  return (n < 0n ? -n : n).toString().length;
}

/**
 * Plain notation when the exponent is moderate ('10.000000', '0.00048', '1200'), scientific
 * otherwise ('1.5e+30'); all coefficient digits are shown, trailing zeros included.
 */
export function decimalToString(x: DecimalLike): string {
  const { coefficient, exponent } = toDecimal(x, 'decimalToString(x)');
  const sign = coefficient < 0n ? '-' : '';
  const digits = (coefficient < 0n ? -coefficient : coefficient).toString();
  const point = digits.length + exponent; // digits before the decimal point
  if (exponent >= 0 && point <= 21) return sign + digits + '0'.repeat(exponent);
  if (exponent < 0 && point > 0) return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
  if (exponent < 0 && point > -6) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  const adjusted = point - 1;
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${sign}${mantissa}e${adjusted >= 0 ? '+' : ''}${adjusted}`;
}

/** The nearest double (JavaScript's correctly rounded parsing of the exact decimal). */
export function decimalToNumber(x: DecimalLike): number {
  const { coefficient, exponent } = toDecimal(x, 'decimalToNumber(x)');
  return Number(`${coefficient}e${exponent}`);
}

/** −1, 0 or 1 as a < b, a = b, a > b (exact; 1.50 equals 1.5). */
export function compareDecimal(a: DecimalLike, b: DecimalLike): -1 | 0 | 1 {
  const x = toDecimal(a, 'compareDecimal(a)');
  const y = toDecimal(b, 'compareDecimal(b)');
  const signX = x.coefficient === 0n ? 0 : x.coefficient < 0n ? -1 : 1;
  const signY = y.coefficient === 0n ? 0 : y.coefficient < 0n ? -1 : 1;
  if (signX !== signY || signX === 0) return signX < signY ? -1 : signX > signY ? 1 : 0;
  const topX = x.exponent + digitCount(x.coefficient);
  const topY = y.exponent + digitCount(y.coefficient);
  if (topX !== topY) return (topX > topY) === signX > 0 ? 1 : -1; // the larger magnitude wins for positives
  const e = Math.min(x.exponent, y.exponent); // tops are equal, so this shift is at most the digit count
  const difference = x.coefficient * 10n ** BigInt(x.exponent - e) - y.coefficient * 10n ** BigInt(y.exponent - e);
  return difference === 0n ? 0 : difference < 0n ? -1 : 1;
}

export function equalsDecimal(a: DecimalLike, b: DecimalLike): boolean {
  return compareDecimal(a, b) === 0;
}

// ---- rounding to n significant digits ---------------------------------------------------------

function context(c: DecimalContext | number, where: string): Required<DecimalContext> {
  const { digits, rounding = 'halfToEven' } = typeof c === 'number' ? { digits: c } : (c ?? ({} as DecimalContext));
  requireIntegerIn(digits, 1, MAX_DIGITS, `${where} digits`);
  requireOneOf(rounding, DECIMAL_ROUNDING, `${where} rounding`);
  return { digits, rounding };
}

/** (numerator / denominator) · 10^exponent rounded to exactly `digits` significant digits. */
function roundQuotient(numerator: bigint, denominator: bigint, exponent: number, c: Required<DecimalContext>): Decimal {
  if (numerator === 0n) return { coefficient: 0n, exponent: 0 };
  // Scale so that the integer part has at least `digits` digits, then drop the excess with one rounding.
  const pad = Math.max(0, c.digits - digitCount(numerator) + digitCount(denominator));
  const scaled = numerator * 10n ** BigInt(pad);
  const integerPart = scaled / denominator;
  let drop = digitCount(integerPart) - c.digits;
  let coefficient = roundRatio(scaled, denominator * 10n ** BigInt(drop), c.rounding);
  if (digitCount(coefficient) > c.digits) {
    coefficient /= 10n; // 99.96 → 100.0: rounding carried into a new digit; the dropped digit is 0
    drop += 1;
  }
  return { coefficient, exponent: exponent - pad + drop };
}

/** x rounded to `digits` significant digits (exactly that many are kept). Example: 10.3, 2 digits → 10. */
export function roundDecimal(x: DecimalLike, digits: DecimalContext | number): Decimal {
  const c = context(digits, 'roundDecimal');
  const d = toDecimal(x, 'roundDecimal(x)');
  return roundQuotient(d.coefficient, 1n, d.exponent, c);
}

// ---- arithmetic -------------------------------------------------------------------------------

/**
 * a + b, exact except that an operand lying wholly below every digit of the other and below the
 * rounding position is replaced by ±1 one place further down: it can only act as a sticky bit,
 * and this avoids aligning coefficients across huge exponent gaps.
 */
function exactSum(a: Decimal, b: Decimal, digits: number): Decimal {
  if (a.coefficient === 0n) return b;
  if (b.coefficient === 0n) return a;
  const [big, small] = a.exponent + digitCount(a.coefficient) >= b.exponent + digitCount(b.coefficient) ? [a, b] : [b, a];
  const floor = Math.min(big.exponent, big.exponent + digitCount(big.coefficient) - digits - 2);
  const smallTop = small.exponent + digitCount(small.coefficient) - 1;
  const low = smallTop < floor - 1 ? { coefficient: small.coefficient < 0n ? -1n : 1n, exponent: floor - 1 } : small;
  const e = Math.min(big.exponent, low.exponent);
  return { coefficient: big.coefficient * 10n ** BigInt(big.exponent - e) + low.coefficient * 10n ** BigInt(low.exponent - e), exponent: e };
}

/** a + b rounded to n significant digits. */
export function addDecimal(a: DecimalLike, b: DecimalLike, digits: DecimalContext | number): Decimal {
  const c = context(digits, 'addDecimal');
  const sum = exactSum(toDecimal(a, 'addDecimal(a)'), toDecimal(b, 'addDecimal(b)'), c.digits);
  return roundQuotient(sum.coefficient, 1n, sum.exponent, c);
}

/** a − b rounded to n significant digits. */
export function subtractDecimal(a: DecimalLike, b: DecimalLike, digits: DecimalContext | number): Decimal {
  const c = context(digits, 'subtractDecimal');
  const y = toDecimal(b, 'subtractDecimal(b)');
  const sum = exactSum(toDecimal(a, 'subtractDecimal(a)'), { coefficient: -y.coefficient, exponent: y.exponent }, c.digits);
  return roundQuotient(sum.coefficient, 1n, sum.exponent, c);
}

/** a · b rounded to n significant digits. */
export function multiplyDecimal(a: DecimalLike, b: DecimalLike, digits: DecimalContext | number): Decimal {
  const c = context(digits, 'multiplyDecimal');
  const x = toDecimal(a, 'multiplyDecimal(a)');
  const y = toDecimal(b, 'multiplyDecimal(b)');
  return roundQuotient(x.coefficient * y.coefficient, 1n, x.exponent + y.exponent, c);
}

/** a / b rounded to n significant digits (rounded once from the exact quotient). */
export function divideDecimal(a: DecimalLike, b: DecimalLike, digits: DecimalContext | number): Decimal {
  const c = context(digits, 'divideDecimal');
  const x = toDecimal(a, 'divideDecimal(a)');
  const y = toDecimal(b, 'divideDecimal(b)');
  if (y.coefficient === 0n) throw new RangeArgumentError(`divideDecimal(b): division of ${decimalToString(x)} by zero`);
  const negative = y.coefficient < 0n;
  return roundQuotient(negative ? -x.coefficient : x.coefficient, negative ? -y.coefficient : y.coefficient, x.exponent - y.exponent, c);
}

// ---- catastrophic cancellation ----------------------------------------------------------------

export interface Cancellation {
  readonly roundedX: Decimal;
  readonly roundedY: Decimal;
  /** [round(x) − round(y)]: the operation on the stored operands, in n-digit arithmetic. */
  readonly computed: Decimal;
  /** round(x − y): the exact result, rounded once. */
  readonly reference: Decimal;
  /** |computed − reference| / |reference| (0 when both are 0, Infinity when only the reference is). */
  readonly relativeError: number;
  /** ε: the largest relative error of one rounding, ½·10^(1−n) (10^(1−n) for directed rounding). */
  readonly unitRoundoff: number;
}

/**
 * The lecture's measure of cancellation: ([round(x) − round(y)] − round(x − y)) / round(x − y),
 * which is ≫ ε when x ≈ y (the rounding errors of x and y survive while the difference
 * shrinks). `operation` 'add' measures x + y instead (the same thing for opposite signs).
 * Example, 4 digits: x = 1.00049, y = 1.00001 → round(x) − round(y) = 0 while round(x − y) =
 * 0.0004800: relative error 1 against ε = 5·10^−4.
 */
export function cancellationError(x: DecimalLike, y: DecimalLike, digits: DecimalContext | number, operation: 'subtract' | 'add' = 'subtract'): Cancellation {
  const c = context(digits, 'cancellationError');
  requireOneOf(operation, ['subtract', 'add'], 'cancellationError(operation)');
  const op = operation === 'subtract' ? subtractDecimal : addDecimal;
  const exactX = toDecimal(x, 'cancellationError(x)');
  const exactY = toDecimal(y, 'cancellationError(y)');
  const roundedX = roundDecimal(exactX, c);
  const roundedY = roundDecimal(exactY, c);
  const computed = op(roundedX, roundedY, c);
  const reference = op(exactX, exactY, c);
  const error = subtractDecimal(computed, reference, 17);
  const relativeError =
    reference.coefficient === 0n ? (error.coefficient === 0n ? 0 : Infinity) : Math.abs(decimalToNumber(divideDecimal(error, reference, 17)));
  const unitRoundoff = (c.rounding === 'halfToEven' || c.rounding === 'halfAwayFromZero' ? 0.5 : 1) * 10 ** (1 - c.digits);
  return { roundedX, roundedY, computed, reference, relativeError, unitRoundoff };
}
