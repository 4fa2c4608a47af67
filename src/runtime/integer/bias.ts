/**
 * The int32 bias of QLinearConv / QGemm: added to the accumulator, so it must have the
 * accumulator's scale s_in·s_w[c] and zero point 0 (eq. (13)).
 *
 * - A bias that a DequantizeLinear gives in int32 with exactly that scale (the float32 product,
 *   within 2^−22 relative: another runtime may have multiplied in another order) and zero point
 *   0 is used as it is — the integer sum then equals what the simulated graph adds in float.
 * - Any other constant bias (another scale, a non-zero zero point, a plain float initializer) is
 *   requantized: q = round_half_to_even(b / (s_in·s_w[c])) with b its float value. That moves it
 *   by at most half an accumulator step, far below one output step (M = s_in·s_w/s_out ≪ 1); the
 *   lowering reports it. A bias beyond int32 at that scale keeps the layer in float.
 */
import { tensor } from '../../ir/tensor.ts';
import { roundHalfToEven } from '../../numeric/rounding.ts';
import { dequantizeValue } from '../../quant/quantize.ts';
import type { LoweringContext } from './context.ts';
import { fail, found, type Found } from './qdq-index.ts';

const INT32_MAX = 2 ** 31 - 1;
const SCALE_TOLERANCE = 2 ** -22;

export interface Int32Bias {
  /** Initializer holding the int32 bias, shape [channels]. */
  readonly name: string;
  /** True when the bias was re-rounded to the accumulator scale. */
  readonly requantized: boolean;
  /** max |code|: it shares the int32 accumulator with the products (accumulator.ts). */
  readonly maxCode: number;
}

const maxAbs = (data: Int32Array): number => data.reduce((m, q) => Math.max(m, Math.abs(q)), 0);

/** The accumulator scale of channel c: the float32 product s_in·s_w[c]. eq. (13) */
export function accumulatorScale(inputScale: number, weightScales: Float32Array, c: number): number {
  return Math.fround(Math.fround(inputScale) * weightScales[weightScales.length === 1 ? 0 : c]);
}

/** The bias `name` as int32 with scale s_in·s_w[c] over `channels` output channels (one value broadcasts). */
export function int32Bias(ctx: LoweringContext, name: string, inputScale: number, weightScales: Float32Array, channels: number): Found<Int32Bias> {
  const qv = ctx.index.dequantized(name);
  if (qv !== undefined && !qv.ok) return qv;
  const source = qv?.value.constant ?? ctx.index.graph.initializers.get(name);
  if (source === undefined) return fail(`bias ${JSON.stringify(name)} is not a constant`);
  if (source.data.length !== channels && source.data.length !== 1) return fail(`bias ${JSON.stringify(name)} has ${source.data.length} values for ${channels} output channels`);
  const at = (c: number): number => (source.data.length === 1 ? 0 : c);
  if (qv !== undefined) {
    const v = qv.value;
    const perChannel = v.scale.length > 1;
    if (perChannel && v.scale.length !== channels) return fail(`bias ${JSON.stringify(name)} has ${v.scale.length} scales for ${channels} channels`);
    const exact = v.dtype === 'int32' && v.zeroPoint.every((z) => z === 0) && Array.from({ length: channels }, (_, c) => c).every((c) => {
      const want = accumulatorScale(inputScale, weightScales, c);
      return Math.abs(v.scale[perChannel ? c : 0] - want) <= SCALE_TOLERANCE * want;
    });
    if (exact) {
      const data = new Int32Array(channels);
      for (let c = 0; c < channels; c++) data[c] = Number(source.data[at(c)]);
      return found({ name: ctx.constant(`${v.integer}_int32`, tensor('int32', [channels], data)), requantized: false, maxCode: maxAbs(data) });
    }
    // The float value the simulated graph adds: DequantizeLinear of each element. eq. (3)
    return requantize(ctx, name, (c) => dequantizeValue(Number(source.data[at(c)]), v.scale[perChannel ? c : 0], v.zeroPoint[perChannel ? c : 0]), inputScale, weightScales, channels);
  }
  if (source.dtype !== 'float32') return fail(`bias ${JSON.stringify(name)} is ${source.dtype}, neither float32 nor dequantized`);
  return requantize(ctx, name, (c) => source.data[at(c)], inputScale, weightScales, channels);
}

function requantize(ctx: LoweringContext, name: string, value: (c: number) => number, inputScale: number, weightScales: Float32Array, channels: number): Found<Int32Bias> {
  const data = new Int32Array(channels);
  for (let c = 0; c < channels; c++) {
    const q = roundHalfToEven(value(c) / accumulatorScale(inputScale, weightScales, c));
    if (!(Math.abs(q) <= INT32_MAX)) return fail(`bias ${JSON.stringify(name)} channel ${c} (${value(c)}) does not fit int32 at the accumulator scale`);
    data[c] = q;
  }
  return found({ name: ctx.constant(`${name}_int32`, tensor('int32', [channels], data)), requantized: true, maxCode: maxAbs(data) });
}
