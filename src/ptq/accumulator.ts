/**
 * The int32 accumulator bound of integer execution (docs/QUANTIZATION.md): a layer sums K
 * products (q_a − z_a)(q_w − z_w) plus the int32 bias, which must stay below 2^31 in magnitude.
 * Checked per layer when the plan is made, from the real quantized weights (not the worst case
 * of the bit width), so e.g. 16-bit activations with 8-bit weights are flagged only where they
 * can actually overflow.
 */
import { attrInt } from '../ir/attributes.ts';
import type { Model } from '../ir/graph.ts';
import { scaleIndexOf, scaleLayout } from '../quant/layout.ts';
import { quantize } from '../quant/quantize.ts';
import type { QuantPlan } from './plan.ts';

export interface AccumulatorRisk {
  readonly node: string;
  /** Products summed per output value. */
  readonly k: number;
  /** K · max|q_a − z_a| · max|q_w − z_w| + max|bias|. */
  readonly bound: number;
}

const LIMIT = 2 ** 31 - 1;

/** Layers of the plan whose accumulator could leave the int32 range. */
export function accumulatorRisks(model: Model, plan: QuantPlan): AccumulatorRisk[] {
  const risks: AccumulatorRisk[] = [];
  for (const layer of plan.targets.layers) {
    const weightPlan = plan.weights.get(layer.weight);
    const input = plan.activations.get(layer.input);
    if (weightPlan === undefined || input === undefined || weightPlan.granularity === 'group') continue;
    const w = model.graph.initializers.get(layer.weight)!;
    const q = quantize(w.data as Float32Array, w.shape, weightPlan.params);
    const layout = scaleLayout(w.shape, weightPlan.params.axis, weightPlan.params.groupSize);
    const zeroPoints = weightPlan.params.zeroPoint;
    let maxW = 0;
    for (let i = 0; i < q.length; i++) maxW = Math.max(maxW, Math.abs(q[i] - zeroPoints[scaleIndexOf(layout, i)]));
    const z = input.params.zeroPoint[0];
    const maxA = Math.max(z - input.params.qmin, input.params.qmax - z);
    const k = reductionLength(layer.node.opType, w.shape, layer.role.channelAxis(layer.node, w.shape.length), attrInt(layer.node, 'group', 1));
    let maxBias = 0;
    const biasPlan = layer.bias === undefined ? undefined : plan.biases.get(layer.bias);
    if (biasPlan !== undefined) {
      const b = model.graph.initializers.get(layer.bias!)!;
      const qb = quantize(b.data as Float32Array, b.shape, biasPlan.params);
      for (let i = 0; i < qb.length; i++) maxBias = Math.max(maxBias, Math.abs(qb[i]));
    }
    const bound = k * maxA * maxW + maxBias;
    if (bound > LIMIT) risks.push({ node: layer.node.name, k, bound });
  }
  return risks;
}

/** Products per output: every weight element of one output channel (ConvTranspose: per group, per output channel). */
function reductionLength(opType: string, shape: readonly number[], channelAxis: number, group: number): number {
  const total = shape.reduce((a, b) => a * b, 1);
  if (opType === 'ConvTranspose') return (shape[0] / group) * shape.slice(2).reduce((a, b) => a * b, 1);
  return total / shape[channelAxis];
}
