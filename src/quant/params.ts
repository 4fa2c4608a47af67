/**
 * Quantization parameters: the single home of scale / zero-point math (docs/QUANTIZATION.md
 * §2–§3). Observers, PTQ, QAT and the ONNX exporter all call these functions; there is no second
 * copy. Scales are float32 (ONNX scales are float32), so quantization uses exactly the scale an
 * ONNX runtime will use.
 */
import { RangeArgumentError } from '../errors.ts';
import { roundHalfToEven } from '../numeric/rounding.ts';
import { scaleLayout } from './layout.ts';

export type QuantScheme =
  /** restricted range [−(2^(b−1)−1), 2^(b−1)−1], z = 0 */
  | 'symmetric'
  /** [−2^(b−1), 2^(b−1)−1], z = 0, s = max|r| / 2^(b−1) per the lecture */
  | 'symmetric-full'
  /** full range, zero point nudged so 0.0 is exact */
  | 'asymmetric'
  /** [0, 2^b − 1], z = 0, for non-negative tensors (after ReLU) */
  | 'unsigned';

export interface QuantParams {
  /** Float32 scales: length 1 (tensor), C (channel, along axis) or the blocked scale tensor (group), row-major. */
  readonly scale: Float32Array;
  /** Same length as scale. */
  readonly zeroPoint: Int32Array;
  /** 2–16, or 32 for int32 bias. */
  readonly bits: number;
  /** Storage signedness (int vs uint). */
  readonly signed: boolean;
  /** The saturation range (restricted symmetric: qmin = −qmax). */
  readonly qmin: number;
  readonly qmax: number;
  /** Channel/group axis (normalised to ≥ 0); undefined per tensor. */
  readonly axis?: number;
  /** Group (block) size along axis; undefined per tensor and per channel. */
  readonly groupSize?: number;
}

export interface QuantOptions {
  readonly bits: number;
  readonly scheme: QuantScheme;
  /** Storage signedness; default false for 'unsigned', true otherwise. */
  readonly signed?: boolean;
  /** Round each scale up to a power of two (dynamic fixed point), eq. (8a). */
  readonly powerOfTwo?: boolean;
}

export interface QRange {
  readonly qmin: number;
  readonly qmax: number;
}

const SCHEMES: readonly QuantScheme[] = ['symmetric', 'symmetric-full', 'asymmetric', 'unsigned'];
/** Smallest normal float32: the floor of every computed scale, eq. (8). */
export const MIN_SCALE = 2 ** -126;

/**
 * The saturation range [qmin, qmax] of a scheme with `bits` bits of `signed` or unsigned storage.
 * eq. (4). Bits must be an integer in 2–16, or 32 (signed only: int32 bias). The symmetric
 * schemes need signed storage, 'unsigned' needs unsigned storage.
 */
export function qRange(bits: number, signed: boolean, scheme: QuantScheme): QRange {
  checkBits(bits, signed, 'qRange');
  if (!SCHEMES.includes(scheme)) {
    throw new RangeArgumentError(`qRange: scheme ${JSON.stringify(scheme)} is not one of ${SCHEMES.join(', ')}`);
  }
  if (scheme === 'unsigned' && signed) {
    throw new RangeArgumentError(`qRange: scheme 'unsigned' needs unsigned storage (signed: false)`);
  }
  if ((scheme === 'symmetric' || scheme === 'symmetric-full') && !signed) {
    throw new RangeArgumentError(`qRange: scheme '${scheme}' (z = 0) needs signed storage; use 'unsigned' or 'asymmetric' for uint`);
  }
  if (!signed) return { qmin: 0, qmax: 2 ** bits - 1 };
  const half = 2 ** (bits - 1);
  return scheme === 'symmetric' ? { qmin: -(half - 1), qmax: half - 1 } : { qmin: -half, qmax: half - 1 };
}

/**
 * Per-tensor parameters from a range [min, max]: eq. (5) for the scale, eq. (6) for the
 * asymmetric zero point (range widened to contain 0, zero exact). A zero-width effective range
 * (e.g. an all-zero tensor) gives s = 1, z = 0; scales below 2^−126 are raised to it (eq. (8)).
 * @throws RangeArgumentError for non-finite bounds, min > max, bad bits/scheme, or a scale that overflows float32.
 */
export function paramsFromRange(min: number, max: number, options: QuantOptions): QuantParams {
  const { signed, qmin, qmax } = resolve(options, 'paramsFromRange');
  checkRange(min, max, 'paramsFromRange');
  const scale = new Float32Array(1);
  const zeroPoint = new Int32Array(1);
  fillScaleAndZeroPoint(min, max, options, qmin, qmax, scale, zeroPoint, 0);
  return { scale, zeroPoint, bits: options.bits, signed, qmin, qmax };
}

/**
 * Per-channel (groupSize undefined) or per-group parameters from one range per scale index,
 * in the scale layout of eq. (9) (for groups: the blocked scale tensor, row-major). Each entry is
 * computed as paramsFromRange would compute it alone. `axis` must already be normalised (≥ 0).
 */
export function paramsFromRanges(
  mins: ArrayLike<number>,
  maxs: ArrayLike<number>,
  options: QuantOptions & { readonly axis: number; readonly groupSize?: number },
): QuantParams {
  const { signed, qmin, qmax } = resolve(options, 'paramsFromRanges');
  if (mins.length !== maxs.length) {
    throw new RangeArgumentError(`paramsFromRanges: ${mins.length} minima but ${maxs.length} maxima`);
  }
  checkAxisAndGroup(options.axis, options.groupSize, 'paramsFromRanges');
  const scale = new Float32Array(mins.length);
  const zeroPoint = new Int32Array(mins.length);
  for (let i = 0; i < mins.length; i++) {
    checkRange(mins[i], maxs[i], `paramsFromRanges (index ${i})`);
    fillScaleAndZeroPoint(mins[i], maxs[i], options, qmin, qmax, scale, zeroPoint, i);
  }
  const params: QuantParams = { scale, zeroPoint, bits: options.bits, signed, qmin, qmax, axis: options.axis };
  return options.groupSize === undefined ? params : { ...params, groupSize: options.groupSize };
}

/**
 * Parameters from explicit scales and zero points (e.g. read from an ONNX model or stated by a
 * worked example). Scales are rounded to float32; qmin/qmax default to the scheme's range (the
 * full storage range when no scheme is given). The result is validated.
 */
export function createParams(spec: {
  readonly scale: number | ArrayLike<number>;
  readonly zeroPoint?: number | ArrayLike<number>;
  readonly bits: number;
  readonly signed: boolean;
  readonly scheme?: QuantScheme;
  readonly qmin?: number;
  readonly qmax?: number;
  readonly axis?: number;
  readonly groupSize?: number;
}): QuantParams {
  const scale = Float32Array.from(typeof spec.scale === 'number' ? [spec.scale] : spec.scale);
  const z = spec.zeroPoint ?? 0;
  const zeroPoint = typeof z === 'number' ? new Int32Array(scale.length).fill(z) : Int32Array.from(z);
  if (typeof z === 'number' && !Number.isInteger(z)) throw new RangeArgumentError(`createParams: zero point ${z} must be an integer`);
  if (typeof z !== 'number') {
    for (let i = 0; i < z.length; i++) {
      if (!Number.isInteger(z[i])) throw new RangeArgumentError(`createParams: zero point ${z[i]} at index ${i} must be an integer`);
    }
  }
  checkBits(spec.bits, spec.signed, 'createParams');
  const range = qRange(spec.bits, spec.signed, spec.scheme ?? (spec.signed ? 'asymmetric' : 'unsigned'));
  const params: QuantParams = {
    scale,
    zeroPoint,
    bits: spec.bits,
    signed: spec.signed,
    qmin: spec.qmin ?? range.qmin,
    qmax: spec.qmax ?? range.qmax,
    ...(spec.axis === undefined ? {} : { axis: spec.axis }),
    ...(spec.groupSize === undefined ? {} : { groupSize: spec.groupSize }),
  };
  validateParams(params);
  return params;
}

/**
 * Parameters of an int32 bias: scale s_in·s_w (float32 product, per output channel when there
 * are several weight scales, then axis 0), zero point 0, the full int32 range. eq. (13)
 */
export function paramsForBias(inputScale: number, weightScales: number | ArrayLike<number>): QuantParams {
  checkScale(inputScale, 'paramsForBias: input scale');
  const ws = typeof weightScales === 'number' ? [weightScales] : weightScales;
  if (ws.length === 0) throw new RangeArgumentError('paramsForBias: no weight scales');
  const scale = new Float32Array(ws.length);
  for (let i = 0; i < ws.length; i++) {
    checkScale(ws[i], `paramsForBias: weight scale at index ${i}`);
    // Both factors are float32: their exact product fits float64, so one fround is the float32 product.
    scale[i] = Math.fround(Math.fround(inputScale) * Math.fround(ws[i]));
    if (!(scale[i] > 0) || scale[i] === Infinity) {
      throw new RangeArgumentError(`paramsForBias: bias scale ${inputScale}·${ws[i]} is not a positive finite float32`);
    }
  }
  const params: QuantParams = { scale, zeroPoint: new Int32Array(ws.length), bits: 32, signed: true, qmin: -(2 ** 31), qmax: 2 ** 31 - 1 };
  return ws.length > 1 ? { ...params, axis: 0 } : params;
}

/** Largest |int32 bias code| a plan accepts: 2^30 leaves the other half of int32 to the products. eq. (13a) */
export const MAX_BIAS_CODE = 2 ** 30;

/**
 * Weight params whose scales keep every int32 bias code within MAX_BIAS_CODE: the scale of
 * channel c (or the one scale) is raised to |b_c| / (s_in·2^30) where it is below. eq. (13a)
 * A channel whose weights are tiny beside its bias (one that training nearly switched off)
 * would otherwise saturate its bias code, and an integer accumulator would wrap where the float
 * graph adds. A power-of-two scale is raised to a power of two. Returns `weight` itself when
 * nothing changes.
 */
export function fitWeightScalesToBias(weight: QuantParams, inputScale: number, bias: ArrayLike<number>): QuantParams {
  const accumulatorStep = Math.fround(inputScale) * MAX_BIAS_CODE;
  let scale: Float32Array | undefined;
  for (let c = 0; c < bias.length; c++) {
    const i = weight.scale.length === 1 ? 0 : c;
    // A little above the bound, so the float32 product s_in·s_w cannot round the code past it.
    const want = (Math.abs(bias[c]) / accumulatorStep) * (1 + 2 ** -20);
    const current = (scale ?? weight.scale)[i];
    if (current >= want) continue;
    scale ??= Float32Array.from(weight.scale);
    scale[i] = Number.isInteger(Math.log2(current)) ? powerOfTwoScale(want) : Math.fround(want);
  }
  return scale === undefined ? weight : { ...weight, scale };
}

/** The smallest power of two ≥ scale: 2^ceil(log2 scale), exact. eq. (8a) */
export function powerOfTwoScale(scale: number): number {
  checkScale(scale, 'powerOfTwoScale: scale');
  let e = Math.ceil(Math.log2(scale));
  // Math.log2 is not correctly rounded: settle e so that 2^(e−1) < scale ≤ 2^e.
  if (2 ** (e - 1) >= scale) e -= 1;
  else if (2 ** e < scale) e += 1;
  const pot = 2 ** e;
  if (Math.fround(pot) !== pot) throw new RangeArgumentError(`powerOfTwoScale: 2^${e} (for scale ${scale}) is not a float32`);
  return pot;
}

/**
 * Checks a QuantParams: bits and signedness, qmin ≤ qmax inside the storage range, scale and zero
 * point of equal length with every scale a positive finite float32 and every zero point an
 * integer in [qmin, qmax], a valid axis/group size, and — given the tensor's shape — the axis in
 * range and the scale length the granularity requires (eq. (9)).
 * @throws RangeArgumentError naming the offending value.
 */
export function validateParams(params: QuantParams, shape?: readonly number[]): void {
  const { scale, zeroPoint, bits, signed, qmin, qmax } = params;
  checkBits(bits, signed, 'validateParams');
  const lo = signed ? -(2 ** (bits - 1)) : 0;
  const hi = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  if (!Number.isInteger(qmin) || !Number.isInteger(qmax) || qmin < lo || qmax > hi || qmin >= qmax) {
    throw new RangeArgumentError(`validateParams: [qmin, qmax] = [${qmin}, ${qmax}] must be integers with qmin < qmax inside the ${signed ? 'int' : 'uint'}${bits} range [${lo}, ${hi}]`);
  }
  if (!(scale instanceof Float32Array) || !(zeroPoint instanceof Int32Array)) {
    throw new RangeArgumentError('validateParams: scale must be a Float32Array and zeroPoint an Int32Array');
  }
  if (scale.length !== zeroPoint.length) {
    throw new RangeArgumentError(`validateParams: scale length ${scale.length} differs from zero point length ${zeroPoint.length}`);
  }
  for (let i = 0; i < scale.length; i++) {
    if (!(scale[i] > 0) || scale[i] === Infinity) throw new RangeArgumentError(`validateParams: scale ${scale[i]} at index ${i} must be positive and finite`);
    if (zeroPoint[i] < qmin || zeroPoint[i] > qmax) {
      throw new RangeArgumentError(`validateParams: zero point ${zeroPoint[i]} at index ${i} is outside [qmin, qmax] = [${qmin}, ${qmax}]`);
    }
  }
  if (params.axis !== undefined || params.groupSize !== undefined) checkAxisAndGroup(params.axis, params.groupSize, 'validateParams');
  if (shape !== undefined) {
    const layout = scaleLayout(shape, params.axis, params.groupSize, 'validateParams');
    if (scale.length !== layout.count) {
      const kind = params.axis === undefined ? 'per tensor' : params.groupSize === undefined ? `per channel on axis ${params.axis}` : `per group of ${params.groupSize} on axis ${params.axis}`;
      throw new RangeArgumentError(`validateParams: scale length ${scale.length} does not match tensor shape [${shape.join(', ')}] ${kind} (expected ${layout.count})`);
    }
  } else if (params.axis === undefined && scale.length !== 1) {
    throw new RangeArgumentError(`validateParams: per-tensor params need one scale, got ${scale.length}`);
  }
}

// eqs. (5), (6), (8), (8a) for one range, written into index i.
function fillScaleAndZeroPoint(
  min: number,
  max: number,
  options: QuantOptions,
  qmin: number,
  qmax: number,
  scale: Float32Array,
  zeroPoint: Int32Array,
  i: number,
): void {
  const { scheme, bits } = options;
  let real: number; // eq. (5) in float64
  let low = 0; // rmin' (asymmetric only)
  if (scheme === 'asymmetric') {
    low = Math.min(min, 0);
    real = (Math.max(max, 0) - low) / (qmax - qmin);
  } else if (scheme === 'unsigned') {
    real = Math.max(max, 0) / qmax;
  } else {
    const absMax = Math.max(Math.abs(min), Math.abs(max));
    real = scheme === 'symmetric' ? absMax / qmax : absMax / 2 ** (bits - 1);
  }
  let s: number;
  if (real === 0) {
    s = 1; // eq. (8): any scale is exact for a zero-width range
  } else {
    s = Math.max(Math.fround(real), MIN_SCALE);
    if (s === Infinity) throw new RangeArgumentError(`scale ${real} for the range [${min}, ${max}] overflows float32`);
    if (options.powerOfTwo) s = powerOfTwoScale(s);
  }
  scale[i] = s;
  // eq. (6): nudge so that 0 is exact; symmetric and unsigned have z = 0.
  zeroPoint[i] = scheme === 'asymmetric' && real !== 0 ? Math.min(Math.max(qmin - roundHalfToEven(low / s), qmin), qmax) : 0;
}

function resolve(options: QuantOptions, where: string): { signed: boolean; qmin: number; qmax: number } {
  if (options === null || typeof options !== 'object') throw new RangeArgumentError(`${where}: options must be an object with bits and scheme`);
  const signed = options.signed ?? options.scheme !== 'unsigned';
  const { qmin, qmax } = qRange(options.bits, signed, options.scheme);
  return { signed, qmin, qmax };
}

function checkBits(bits: number, signed: boolean, where: string): void {
  if (!Number.isInteger(bits) || !((bits >= 2 && bits <= 16) || bits === 32)) {
    throw new RangeArgumentError(`${where}: bits ${bits} must be an integer in 2–16, or 32`);
  }
  if (bits === 32 && !signed) throw new RangeArgumentError(`${where}: 32-bit quantization must be signed (int32)`);
}

function checkRange(min: number, max: number, where: string): void {
  if (!Number.isFinite(min)) throw new RangeArgumentError(`${where}: min ${min} is not finite`);
  if (!Number.isFinite(max)) throw new RangeArgumentError(`${where}: max ${max} is not finite`);
  if (min > max) throw new RangeArgumentError(`${where}: min ${min} > max ${max}`);
}

function checkScale(scale: number, what: string): void {
  if (typeof scale !== 'number' || !Number.isFinite(scale) || scale <= 0) throw new RangeArgumentError(`${what} ${scale} must be positive and finite`);
}

function checkAxisAndGroup(axis: number | undefined, groupSize: number | undefined, where: string): void {
  if (axis === undefined || !Number.isInteger(axis) || axis < 0) {
    throw new RangeArgumentError(`${where}: axis ${axis} must be an integer ≥ 0 (normalise negative axes against the tensor's rank)`);
  }
  if (groupSize !== undefined && (!Number.isInteger(groupSize) || groupSize < 1)) {
    throw new RangeArgumentError(`${where}: groupSize ${groupSize} must be an integer ≥ 1`);
  }
}
