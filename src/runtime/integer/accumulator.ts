/**
 * The int32 accumulator bound of a lowered layer (docs/QUANTIZATION.md eq. (12)): K products
 * (a − z_a)(w − z_w) summed per output, so |acc| ≤ K·max|a − z_a|·max|w − z_w|, which must stay
 * below 2^31. max|a − z_a| comes from the input's integer range (its type, or a narrowing Clip);
 * max|w − z_w| from the constant weight itself, or from its range when it is an activation too.
 * The int32 bias is added to the same accumulator, so its largest |code| counts too (eq. (13a)).
 */
import { scaleIndexOf, scaleLayout } from '../../quant/layout.ts';
import type { Operand } from './operands.ts';

export interface AccumulatorBound {
  readonly node: string;
  /** The integer op the node became. */
  readonly opType: string;
  /** Products summed per output value. */
  readonly k: number;
  /** max|a − z_a| over the input's possible integers. */
  readonly maxInput: number;
  /** max|w − z_w|: over the weight's values, or its possible integers for an activation. */
  readonly maxWeight: number;
  /** max|bias code| (0 without a bias). */
  readonly maxBias: number;
  /** K·maxInput·maxWeight + maxBias. */
  readonly bound: number;
  /** bound ≥ 2^31: some input could overflow the int32 accumulator. */
  readonly mayOverflow: boolean;
}

/** The largest |q − z| an operand can produce. */
export function maxCentered(operand: Operand): number {
  const v = operand.value;
  const data = operand.constant?.data;
  if (data === undefined) return Math.max(v.zeroPoint[0] - v.qmin, v.qmax - v.zeroPoint[0]);
  const layout = v.scale.length === 1 ? undefined : scaleLayout(operand.constant!.shape, v.axis);
  let max = 0;
  for (let i = 0; i < data.length; i++) {
    const z = layout === undefined ? v.zeroPoint[0] : v.zeroPoint[scaleIndexOf(layout, i)];
    max = Math.max(max, Math.abs(Number(data[i]) - z));
  }
  return max;
}

export function accumulatorBound(node: string, opType: string, k: number, input: Operand, weight: Operand, maxBias = 0): AccumulatorBound {
  const maxInput = maxCentered(input);
  const maxWeight = maxCentered(weight);
  const bound = k * maxInput * maxWeight + maxBias;
  return { node, opType, k, maxInput, maxWeight, maxBias, bound, mayOverflow: bound >= 2 ** 31 };
}

/**
 * Why a layer must stay in float, or undefined: when the products alone fit int32 but the bias
 * pushes the bound past it, a saturated bias code (a plan without the headroom of eq. (13a)) would
 * make the integer sum wrap where the QDQ graph adds in float. Products alone past int32 remain a
 * warning (overflowRisks): real inputs rarely reach that bound.
 */
export function biasOverflow(bound: AccumulatorBound): string | undefined {
  if (!bound.mayOverflow || bound.bound - bound.maxBias >= 2 ** 31) return undefined;
  return `its int32 bias (|code| up to ${bound.maxBias}) leaves no room for the products (bound ${bound.bound.toExponential(3)} ≥ 2^31): the integer sum could wrap`;
}
