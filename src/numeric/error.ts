/**
 * Error measures between an approximation (quantized, low precision) and a reference: scalar
 * absolute / relative error, distance in units in the last place, and the array measures used
 * in reports (MSE, max |error|, SQNR in dB). Every input must be finite (NaN and ±Infinity throw
 * RangeArgumentError naming the value), so no measure returns a silent NaN.
 */
import { RangeArgumentError, ShapeError } from '../errors.ts';
import { requireFinite, requireOneOf, show } from './validate.ts';

/** |approx − exact|. */
export function absoluteError(approx: number, exact: number): number {
  return Math.abs(requireFinite(approx, 'absoluteError(approx)') - requireFinite(exact, 'absoluteError(exact)'));
}

/**
 * |approx − exact| / |exact|. At exact = 0 the ratio is undefined; we return 0 when approx is
 * also 0 and Infinity otherwise (any error is infinitely large relative to zero).
 */
export function relativeError(approx: number, exact: number): number {
  const error = absoluteError(approx, exact);
  if (exact === 0) return error === 0 ? 0 : Infinity;
  return error / Math.abs(exact);
}

export type UlpFormat = 'float32' | 'float64';

const view = new DataView(new ArrayBuffer(8));

/** A signed index of a float in the ordered list of representable values (±0 both map to 0). */
function orderKey(x: number, format: UlpFormat): bigint {
  if (format === 'float32') {
    view.setFloat32(0, x);
    const bits = view.getUint32(0);
    return bits >= 0x80000000 ? -BigInt(bits - 0x80000000) : BigInt(bits);
  }
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  return bits >= 1n << 63n ? -(bits - (1n << 63n)) : bits;
}

/**
 * How many steps between neighbouring representable values of `format` lead from a to b
 * (0 when equal, −0 and +0 included; 1 between neighbours; across zero the steps on both sides
 * add up; ±Infinity is one step beyond ±max). Both must be values of the format (a float32
 * distance of non-float32 numbers throws). Exact up to 2^53, as a number.
 */
export function ulpDistance(a: number, b: number, format: UlpFormat = 'float64'): number {
  requireOneOf(format, ['float32', 'float64'], 'ulpDistance(format)');
  for (const [name, x] of [['a', a], ['b', b]] as const) {
    if (typeof x !== 'number' || Number.isNaN(x)) throw new RangeArgumentError(`ulpDistance(${name}): expected a number, got ${show(x)}`);
    if (format === 'float32' && Math.fround(x) !== x) throw new RangeArgumentError(`ulpDistance(${name}): ${show(x)} is not a float32 value`);
  }
  const d = orderKey(a, format) - orderKey(b, format);
  return Number(d < 0n ? -d : d);
}

/** Checks lengths and finiteness, then folds f over the pairs (x, x̂). */
function pairs(where: string, reference: ArrayLike<number>, approx: ArrayLike<number>, visit: (x: number, y: number) => void): void {
  if (reference.length !== approx.length) throw new ShapeError(`${where}: reference has ${reference.length} values, approx ${approx.length}`);
  if (reference.length === 0) throw new RangeArgumentError(`${where}: empty input`);
  for (let i = 0; i < reference.length; i++) {
    const x = reference[i];
    const y = approx[i];
    if (!Number.isFinite(x)) throw new RangeArgumentError(`${where}: reference[${i}] is ${show(x)}`);
    if (!Number.isFinite(y)) throw new RangeArgumentError(`${where}: approx[${i}] is ${show(y)}`);
    visit(x, y);
  }
}

/** (1/N) Σ (x − x̂)². */
export function meanSquaredError(reference: ArrayLike<number>, approx: ArrayLike<number>): number {
  let sum = 0;
  pairs('meanSquaredError', reference, approx, (x, y) => {
    sum += (x - y) * (x - y);
  });
  return sum / reference.length;
}

/** max |x − x̂|. */
export function maxAbsError(reference: ArrayLike<number>, approx: ArrayLike<number>): number {
  let max = 0;
  pairs('maxAbsError', reference, approx, (x, y) => {
    max = Math.max(max, Math.abs(x - y));
  });
  return max;
}

/**
 * Signal-to-quantization-noise ratio in decibels, 10 · log10(Σ x² / Σ (x − x̂)²). Infinity when
 * x̂ = x everywhere (no noise); −Infinity when the reference is all zeros but x̂ is not.
 */
export function sqnrDb(reference: ArrayLike<number>, approx: ArrayLike<number>): number {
  const largest = maxAbsError(reference, approx);
  if (largest === 0) return Infinity;
  // Both sums are scaled by 1/largest², which leaves the ratio alone but keeps tiny errors from
  // underflowing to a noise of 0.
  let signal = 0;
  let noise = 0;
  for (let i = 0; i < reference.length; i++) {
    const x = reference[i] / largest;
    const e = (reference[i] - approx[i]) / largest;
    signal += x * x;
    noise += e * e;
  }
  return 10 * Math.log10(signal / noise);
}

/**
 * SQNR accumulated over chunks (e.g. one tensor over many samples): 10·log10(Σx² / Σ(x − x̂)²),
 * the same quantity as sqnrDb without holding every value at once.
 */
export class SqnrAccumulator {
  signal = 0;
  noise = 0;

  add(reference: ArrayLike<number>, approx: ArrayLike<number>): void {
    if (reference.length !== approx.length) throw new ShapeError(`SqnrAccumulator: ${reference.length} reference values but ${approx.length} approximations`);
    for (let i = 0; i < reference.length; i++) {
      const e = reference[i] - approx[i];
      this.signal += reference[i] * reference[i];
      this.noise += e * e;
    }
  }

  /** The SQNR in dB: Infinity without noise, −Infinity for a zero signal with noise. */
  get db(): number {
    if (this.noise === 0) return Infinity;
    return 10 * Math.log10(this.signal / this.noise);
  }
}
