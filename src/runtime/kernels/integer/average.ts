/**
 * The division of integer pooling: an average of `count` quantized inputs, y = z_y +
 * (s_x/s_y)·sum/count, where sum = Σ (x − z_x) is exact in int32, docs/QUANTIZATION.md eq. (10)
 * with one operand the constant 1/count.
 *
 * - Same scale (s_x = s_y, the usual case): y = z_y + round_half_to_even(sum / count), an exact
 *   integer division — ties to even, as QuantizeLinear rounds (eq. (2)), so the result equals
 *   the QDQ graph's dequantize → average → quantize and onnxruntime's. (|sum / count| ≤ 2^16, so
 *   the float64 quotient decides every tie exactly.)
 * - Different scales: one fixed-point multiplier M = s_x/(s_y·count) per distinct window count
 *   (eq. (14)) and the output stage (eq. (18)): a single rounding, half away from zero on an
 *   exact tie.
 * An empty window (pads at least the kernel) averages nothing: y = z_y.
 */
import { quantizeMultiplier } from '../../../numeric/fixedpoint.ts';
import { roundHalfToEven } from '../../../numeric/rounding.ts';
import { outputStage, requantizeOne, type OutputStage } from '../../../quant/output-stage.ts';

export interface AverageScale {
  readonly sameScale: boolean;
  readonly zeroPoint: number;
  readonly qmin: number;
  readonly qmax: number;
  /** Different scales: one channel per distinct count. */
  readonly stage: OutputStage | undefined;
  readonly channelOf: ReadonlyMap<number, number>;
}

/** The division by each of `counts` from s_x to s_y, into zero point `zeroPoint` and [qmin, qmax]. */
export function averageScale(xScale: number, yScale: number, zeroPoint: number, qmin: number, qmax: number, counts: Iterable<number>): AverageScale {
  const sx = Math.fround(xScale);
  const sy = Math.fround(yScale);
  const channelOf = new Map<number, number>();
  if (sx === sy) return { sameScale: true, zeroPoint, qmin, qmax, stage: undefined, channelOf };
  const multiplier: number[] = [];
  const shift: number[] = [];
  for (const count of counts) {
    if (count === 0 || channelOf.has(count)) continue;
    channelOf.set(count, multiplier.length);
    const m = quantizeMultiplier(sx / (sy * count)); // eq. (14); sy·count is exact in float64
    multiplier.push(m.multiplier);
    shift.push(m.shift);
  }
  const stage = multiplier.length === 0 ? undefined : outputStage({ multiplier, shift }, zeroPoint, qmin, qmax);
  return { sameScale: false, zeroPoint, qmin, qmax, stage, channelOf };
}

/** The output for a centred `sum` of `count` inputs. */
export function averageOne(p: AverageScale, sum: number, count: number): number {
  if (count === 0) return p.zeroPoint;
  if (p.sameScale) {
    const v = p.zeroPoint + roundHalfToEven(sum / count);
    return v < p.qmin ? p.qmin : v > p.qmax ? p.qmax : v;
  }
  return requantizeOne(p.stage!, p.channelOf.get(count)!, sum);
}
