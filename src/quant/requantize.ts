/**
 * Integer requantization (docs/QUANTIZATION.md §6): an int32 accumulator of scale s_in·s_w
 * becomes an integer of scale s_out and zero point z_out through a fixed-point multiplier,
 * q = clamp(z_out + multiplyByQuantizedMultiplier(acc, M0, shift), qmin', qmax'), eq. (18), with
 * the accumulator headroom of eq. (18a) (output-stage.ts, the one implementation every integer
 * kernel uses). Per tensor (one multiplier) or per output channel (one per index of an axis).
 */
import { RangeArgumentError } from '../errors.ts';
import { quantizeMultiplier } from '../numeric/fixedpoint.ts';
import { outputStage, requantizeOne } from './output-stage.ts';
import { elementCount, scaleLayout } from './layout.ts';
import { validateParams } from './params.ts';
import type { QRange, QuantParams } from './params.ts';
import { quantizedArrayFor, quantizeValue } from './quantize.ts';
import type { QuantizedArray } from './quantize.ts';

/** Fixed-point multipliers M0 (int32 in [2^30, 2^31), or 0) and shifts, one per tensor or channel. */
export interface RequantizeMultipliers {
  readonly multiplier: Int32Array;
  readonly shift: Int32Array;
  /** Channel axis of the accumulator when there are several multipliers (normalised or negative). */
  readonly axis?: number;
}

export type FusedActivation = 'none' | 'relu' | 'relu6';

/**
 * M = s_in·s_w / s_out (float64 from the float32 scales, as TFLite) per weight scale, each as
 * M0·2^(shift − 31) by quantizeMultiplier. eq. (14)
 * @throws RangeArgumentError for a non-positive or non-finite scale (naming it) or an M ≥ 2^30.
 */
export function requantizeMultipliers(inputScale: number, weightScales: number | ArrayLike<number>, outputScale: number): RequantizeMultipliers {
  checkScale(inputScale, 'requantizeMultipliers: input scale');
  checkScale(outputScale, 'requantizeMultipliers: output scale');
  const ws = typeof weightScales === 'number' ? [weightScales] : weightScales;
  if (ws.length === 0) throw new RangeArgumentError('requantizeMultipliers: no weight scales');
  const multiplier = new Int32Array(ws.length);
  const shift = new Int32Array(ws.length);
  for (let i = 0; i < ws.length; i++) {
    checkScale(ws[i], `requantizeMultipliers: weight scale at index ${i}`);
    const real = (Math.fround(inputScale) * Math.fround(ws[i])) / Math.fround(outputScale);
    const m = quantizeMultiplier(real);
    multiplier[i] = m.multiplier;
    shift[i] = m.shift;
  }
  return { multiplier, shift };
}

/** One accumulator through the output stage (eqs. (18), (18a)): clamp(zeroPoint + acc·M, qmin, qmax) in fixed point. */
export function requantizeValue(acc: number, multiplier: number, shift: number, zeroPoint: number, qmin: number, qmax: number): number {
  return requantizeOne(outputStage({ multiplier: [multiplier], shift: [shift] }, zeroPoint, qmin, qmax), 0, acc);
}

/**
 * The saturation range of an output with a fused activation, in the quantized domain:
 * ReLU clamps below at quantize(0) = z, ReLU6 also above at quantize(6) (eq. (2)), both within
 * [qmin, qmax].
 */
export function fusedActivationRange(activation: FusedActivation, scale: number, zeroPoint: number, qmin: number, qmax: number): QRange {
  if (activation === 'none') return { qmin, qmax };
  if (activation !== 'relu' && activation !== 'relu6') {
    throw new RangeArgumentError(`fusedActivationRange: activation ${JSON.stringify(activation)} is not 'none', 'relu' or 'relu6'`);
  }
  checkScale(scale, 'fusedActivationRange: scale');
  const low = Math.max(qmin, zeroPoint);
  const high = activation === 'relu6' ? Math.min(qmax, quantizeValue(6, scale, zeroPoint, qmin, qmax)) : qmax;
  return { qmin: low, qmax: high };
}

/**
 * Requantizes int32 accumulators of `shape` to the per-tensor `output` params (container by its
 * bits and signedness), optionally narrowed by `clamp` (see fusedActivationRange). eq. (18)
 * @throws RangeArgumentError for mismatched lengths, multipliers outside {0} ∪ [2^30, 2^31),
 * shifts outside [−31, 30], per-channel multipliers without a matching axis, or a clamp outside the output range.
 */
export function requantize(acc: Int32Array, shape: readonly number[], multipliers: RequantizeMultipliers, output: QuantParams, clamp?: QRange): QuantizedArray {
  const size = elementCount(shape, 'requantize');
  if (acc.length !== size) throw new RangeArgumentError(`requantize: accumulator has ${acc.length} elements but shape [${shape.join(', ')}] has ${size}`);
  validateParams(output);
  if (output.scale.length !== 1) throw new RangeArgumentError(`requantize: output params must be per tensor, got ${output.scale.length} scales`);
  const { multiplier, shift } = multipliers;
  checkMultipliers(multiplier, shift);
  const perChannel = multiplier.length > 1 || multipliers.axis !== undefined;
  if (perChannel && multipliers.axis === undefined) throw new RangeArgumentError(`requantize: ${multiplier.length} multipliers need a channel axis`);
  const layout = scaleLayout(shape, multipliers.axis, undefined, 'requantize');
  if (layout.count !== multiplier.length) {
    throw new RangeArgumentError(`requantize: ${multiplier.length} multipliers for shape [${shape.join(', ')}] ${perChannel ? `on axis ${multipliers.axis}` : 'per tensor'} (expected ${layout.count})`);
  }
  let qmin = output.qmin;
  let qmax = output.qmax;
  if (clamp !== undefined) {
    if (!Number.isInteger(clamp.qmin) || !Number.isInteger(clamp.qmax) || clamp.qmin < qmin || clamp.qmax > qmax || clamp.qmin > clamp.qmax) {
      throw new RangeArgumentError(`requantize: clamp [${clamp.qmin}, ${clamp.qmax}] must be integers inside the output range [${qmin}, ${qmax}]`);
    }
    qmin = clamp.qmin;
    qmax = clamp.qmax;
  }
  const stage = outputStage(multipliers, output.zeroPoint[0], qmin, qmax);
  const out = quantizedArrayFor(size, output);
  const { outer, channels, inner } = layout;
  let i = 0;
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      for (let k = 0; k < inner; k++, i++) out[i] = requantizeOne(stage, c, acc[i]); // per tensor: one channel
    }
  }
  return out;
}

function checkMultipliers(multiplier: Int32Array, shift: Int32Array): void {
  if (multiplier.length !== shift.length || multiplier.length === 0) {
    throw new RangeArgumentError(`requantize: ${multiplier.length} multipliers but ${shift.length} shifts`);
  }
  for (let i = 0; i < multiplier.length; i++) {
    const m = multiplier[i];
    if (m !== 0 && m < 2 ** 30) throw new RangeArgumentError(`requantize: multiplier ${m} at index ${i} is not 0 or in [2^30, 2^31)`);
    if (shift[i] < -31 || shift[i] > 30) throw new RangeArgumentError(`requantize: shift ${shift[i]} at index ${i} is outside [-31, 30]`);
  }
}

function checkScale(scale: number, what: string): void {
  if (typeof scale !== 'number' || !Number.isFinite(scale) || scale <= 0) throw new RangeArgumentError(`${what} ${scale} must be positive and finite`);
}
