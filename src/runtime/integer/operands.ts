/**
 * The integer operands of a lowered op: activations (per tensor, int8/uint8) and constant
 * weights (per tensor or per output channel, 8-bit; sub-byte weights widened to 8 bits because
 * QLinearConv and QGemm take 8-bit tensors only — the values are unchanged).
 *
 * Constants a check creates but a fallback never uses are dropped with the dead nodes.
 */
import type { DType } from '../../ir/dtype.ts';
import type { Tensor } from '../../ir/tensor.ts';
import { tensor } from '../../ir/tensor.ts';
import type { LoweringContext } from './context.ts';
import { fail, found, type Found, type QuantizedValue } from './qdq-index.ts';
import { widened, widerType } from './widen.ts';

/** An integer input of a lowered op, with the names of its parameters. */
export interface Operand {
  readonly value: QuantizedValue;
  /** The integer tensor (an 8-bit copy for sub-byte weights). */
  readonly name: string;
  readonly dtype: DType;
  readonly scaleName: string;
  /** Always present (a zero constant when the DequantizeLinear omits it). */
  readonly zeroPointName: string;
  readonly constant?: Tensor;
}

const EIGHT_BIT = new Set<DType>(['int8', 'uint8']);

/** Why `name` has no integer form, or its QuantizedValue. */
export function dequantizedInput(ctx: LoweringContext, name: string): Found<QuantizedValue> {
  const qv = ctx.index.dequantized(name);
  if (qv === undefined) return fail(`input ${JSON.stringify(name)} does not come from a DequantizeLinear`);
  return qv;
}

/** A per-tensor 8-bit activation (or constant) operand. */
export function activationOperand(ctx: LoweringContext, name: string): Found<Operand> {
  const qv = dequantizedInput(ctx, name);
  if (!qv.ok) return qv;
  const v = qv.value;
  if (v.scale.length !== 1 || v.blockSize !== undefined) return fail(`input ${JSON.stringify(name)} has ${v.scale.length} scales; the integer kernels take per-tensor activations`);
  if (v.constant !== undefined && widerType(v.dtype) !== undefined) return weightOperand(ctx, v, undefined);
  if (!EIGHT_BIT.has(v.dtype)) return fail(`input ${JSON.stringify(name)} is ${v.dtype}; the integer kernels take int8/uint8 activations`);
  return found({ value: v, name: v.integer, dtype: v.dtype, scaleName: v.scaleName, zeroPointName: ctx.zeroPoint(v.zeroPointName, v.dtype), ...(v.constant ? { constant: v.constant } : {}) });
}

/**
 * A constant weight, per tensor or per channel along `channelAxis` (undefined: per tensor only).
 * Blocked (per-group) weights have no QOperator form and are refused.
 */
export function weightOperand(ctx: LoweringContext, v: QuantizedValue, channelAxis: number | undefined): Found<Operand> {
  if (v.constant === undefined) return fail(`weight ${JSON.stringify(v.float)} is not a constant`);
  if (v.blockSize !== undefined) return fail(`weight ${JSON.stringify(v.float)} is quantized per block of ${v.blockSize}; QOperator ops take per-tensor or per-channel weights`);
  if (v.scale.length > 1 && v.axis !== channelAxis) {
    return fail(`weight ${JSON.stringify(v.float)} has per-axis scales on axis ${v.axis}, expected per tensor${channelAxis === undefined ? '' : ` or per output channel (axis ${channelAxis})`}`);
  }
  const wide = widerType(v.dtype);
  if (!EIGHT_BIT.has(v.dtype) && wide === undefined) return fail(`weight ${JSON.stringify(v.float)} is ${v.dtype}; QOperator ops take 8-bit weights`);
  if (wide === undefined) {
    return found({ value: v, name: v.integer, dtype: v.dtype, scaleName: v.scaleName, zeroPointName: ctx.zeroPoint(v.zeroPointName, v.dtype), constant: v.constant });
  }
  const data = widened(v.constant);
  const zero = tensor(wide, ctx.initializers.get(v.scaleName)!.shape); // the zero point has the scale's shape
  zero.data.set(v.zeroPoint);
  return found({
    value: v,
    name: ctx.constant(`${v.integer}_8bit`, data),
    dtype: wide,
    scaleName: v.scaleName,
    zeroPointName: ctx.constant(`${v.integer}_zero_point_8bit`, zero),
    constant: data,
  });
}
