/**
 * Quantize / dequantize with exactly the semantics of ONNX QuantizeLinear / DequantizeLinear
 * (docs/QUANTIZATION.md eqs. (2), (3)), at any granularity (eq. (9)).
 *
 * x / s is a float32 *division* (not a multiplication by 1/s), as in the ONNX reference
 * implementation and onnxruntime: the two differ at ties, and quantkit must reproduce a runtime's
 * integers from the same float32 scale.
 */
import { RangeArgumentError } from '../errors.ts';
import { roundHalfToEven, rounder } from '../numeric/rounding.ts';
import type { RoundingMode } from '../numeric/rounding.ts';
import { elementCount, scaleLayout } from './layout.ts';
import type { ScaleLayout } from './layout.ts';
import { validateParams } from './params.ts';
import type { QuantParams } from './params.ts';

/** Integer containers: ≤ 8 bits in 8-bit arrays (sub-byte unpacked, one per element), ≤ 16 in 16-bit, 32 in Int32Array. */
export type QuantizedArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array;

export interface QuantizeOptions {
  /** Rounding of x / s; default 'halfToEven' (ONNX). Other modes are for experiments. */
  readonly rounding?: RoundingMode;
  /** Seed of 'stochastic' rounding (default 0). */
  readonly seed?: number;
}

/** A zeroed container of `length` elements for params' bits and signedness. */
export function quantizedArrayFor(length: number, params: Pick<QuantParams, 'bits' | 'signed'>): QuantizedArray {
  const { bits, signed } = params;
  if (bits <= 8) return signed ? new Int8Array(length) : new Uint8Array(length);
  if (bits <= 16) return signed ? new Int16Array(length) : new Uint16Array(length);
  if (bits === 32 && signed) return new Int32Array(length);
  throw new RangeArgumentError(`no integer container for ${signed ? 'int' : 'uint'}${bits}`);
}

/** One value: q = saturate(round_half_to_even(fl32(x / s)) + z, qmin, qmax). eq. (2) */
export function quantizeValue(x: number, scale: number, zeroPoint: number, qmin: number, qmax: number): number {
  if (x - x !== 0) throw new RangeArgumentError(`quantizeValue: value ${x} is not finite`);
  const v = roundHalfToEven(Math.fround(x / scale)) + zeroPoint;
  return v < qmin ? qmin : v > qmax ? qmax : v;
}

/** One value: r = fl32(fl32(q − z) · s). eq. (3) */
export function dequantizeValue(q: number, scale: number, zeroPoint: number): number {
  return Math.fround(Math.fround(q - zeroPoint) * scale);
}

/**
 * Quantizes a float tensor: q = saturate(round(fl32(x / s)) + z) per element, with the scale and
 * zero point of the element's scale index. eqs. (2), (9)
 * @throws RangeArgumentError for invalid params, a data length that does not match the shape, or a NaN/±∞ element.
 */
export function quantize(data: Float32Array, shape: readonly number[], params: QuantParams, options: QuantizeOptions = {}): QuantizedArray {
  const layout = checked(data.length, shape, params, 'quantize');
  const out = quantizedArrayFor(data.length, params);
  const mode = options.rounding ?? 'halfToEven';
  const round = mode === 'halfToEven' ? undefined : rounder(mode, options.seed ?? 0);
  const { scale, zeroPoint, qmin, qmax } = params;
  const { outer, channels, inner, groupSize, outerStride, blockStride, innerStride } = layout;
  let i = 0;
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const base = o * outerStride + Math.floor(c / groupSize) * blockStride;
      if (innerStride === 0) {
        // per tensor and per channel: one (s, z) for the whole contiguous run
        if (round === undefined) quantizeRun(data, out, i, i + inner, scale[base], zeroPoint[base], qmin, qmax);
        else quantizeRunWith(round, data, out, i, i + inner, scale[base], zeroPoint[base], qmin, qmax);
      } else {
        // per group: consecutive elements use consecutive scales
        for (let k = 0; k < inner; k++) {
          if (round === undefined) quantizeRun(data, out, i + k, i + k + 1, scale[base + k], zeroPoint[base + k], qmin, qmax);
          else quantizeRunWith(round, data, out, i + k, i + k + 1, scale[base + k], zeroPoint[base + k], qmin, qmax);
        }
      }
      i += inner;
    }
  }
  return out;
}

// eq. (2) over data[start, end) with one (s, z), rounding half to even inlined: Math.round
// rounds ties up, so a tie (r − t = ½) that landed on an odd r steps back. `r & 1` is the parity
// of r (ToInt32 is modulo 2^32, and a float32 quotient with a fraction is below 2^23).
function quantizeRun(data: Float32Array, out: QuantizedArray, start: number, end: number, s: number, z: number, qmin: number, qmax: number): void {
  for (let i = start; i < end; i++) {
    const x = data[i];
    if (x - x !== 0) throw nonFinite(x, i);
    const t = Math.fround(x / s);
    let r = Math.round(t);
    if (r - t === 0.5 && (r & 1) !== 0) r -= 1;
    const v = r + z;
    out[i] = v < qmin ? qmin : v > qmax ? qmax : v;
  }
}

// eq. (2) with another rounding mode (experiments).
function quantizeRunWith(round: (x: number) => number, data: Float32Array, out: QuantizedArray, start: number, end: number, s: number, z: number, qmin: number, qmax: number): void {
  for (let i = start; i < end; i++) {
    const x = data[i];
    if (x - x !== 0) throw nonFinite(x, i);
    const v = round(Math.fround(x / s)) + z;
    out[i] = v < qmin ? qmin : v > qmax ? qmax : v;
  }
}

/**
 * Dequantizes: r = fl32(fl32(q − z) · s) per element. eqs. (3), (9)
 * @throws RangeArgumentError for invalid params or a length that does not match the shape.
 */
export function dequantize(q: ArrayLike<number>, shape: readonly number[], params: QuantParams): Float32Array {
  const layout = checked(q.length, shape, params, 'dequantize');
  const out = new Float32Array(q.length);
  const { scale, zeroPoint } = params;
  const { outer, channels, inner, groupSize, outerStride, blockStride, innerStride } = layout;
  let i = 0;
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const base = o * outerStride + Math.floor(c / groupSize) * blockStride;
      if (innerStride === 0) {
        const s = scale[base];
        const z = zeroPoint[base];
        for (let k = 0; k < inner; k++, i++) out[i] = Math.fround(q[i] - z) * s; // eq. (3); the store rounds the product
      } else {
        for (let k = 0; k < inner; k++, i++) out[i] = Math.fround(q[i] - zeroPoint[base + k]) * scale[base + k];
      }
    }
  }
  return out;
}

/** dequantize(quantize(x)): what simulated (fake-quant) inference computes. */
export function fakeQuantize(data: Float32Array, shape: readonly number[], params: QuantParams, options: QuantizeOptions = {}): Float32Array {
  return dequantize(quantize(data, shape, params, options), shape, params);
}

function checked(length: number, shape: readonly number[], params: QuantParams, where: string): ScaleLayout {
  validateParams(params, shape);
  const size = elementCount(shape, where);
  if (length !== size) throw new RangeArgumentError(`${where}: data has ${length} elements but shape [${shape.join(', ')}] has ${size}`);
  return scaleLayout(shape, params.axis, params.groupSize, where);
}

function nonFinite(x: number, index: number): RangeArgumentError {
  return new RangeArgumentError(`quantize: element ${index} is ${x}; only finite values can be quantized`);
}
