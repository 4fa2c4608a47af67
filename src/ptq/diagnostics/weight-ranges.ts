/**
 * The weighted layers as a report shows them: what each reads and writes, and the per-output-channel
 * ranges min_c, max_c of the float weight the plan quantized (after BatchNorm folding). Channels whose ranges differ by orders of
 * magnitude are why per-channel scales (docs/QUANTIZATION.md eq. (9)) beat one scale per tensor.
 */
import { PerChannelMinMaxObserver } from '../../calib/observers/per-channel.ts';
import type { Model } from '../../ir/graph.ts';
import type { QuantPlan } from '../plan.ts';

export interface WeightRanges {
  readonly node: string;
  readonly opType: string;
  readonly weight: string;
  /** The activation the layer reads, and the one it writes (after a fused Relu/Clip). */
  readonly input: string;
  readonly output: string;
  readonly shape: number[];
  /** The weight axis holding output channels. */
  readonly axis: number;
  readonly mins: number[];
  readonly maxs: number[];
  readonly bits: number;
  readonly granularity: string;
  /** The weight's scales: one per channel, one per tensor, or one per group. */
  readonly scales: number[];
}

/** One entry per quantized weight, in layer order (a weight shared by two layers once). */
export function weightRanges(model: Model, plan: QuantPlan): WeightRanges[] {
  const out: WeightRanges[] = [];
  for (const layer of plan.targets.layers) {
    const entry = plan.weights.get(layer.weight);
    const weight = model.graph.initializers.get(layer.weight);
    if (entry === undefined || weight === undefined || entry.node !== layer.node.name) continue;
    const axis = layer.role.channelAxis(layer.node, weight.shape.length);
    const observer = new PerChannelMinMaxObserver(weight.shape, axis);
    observer.observe(weight.data instanceof Float32Array ? weight.data : Float32Array.from(weight.data as ArrayLike<number>));
    out.push({
      node: layer.node.name,
      opType: layer.node.opType,
      weight: layer.weight,
      input: layer.input,
      output: (layer.activation ?? layer.node).outputs[0],
      shape: [...weight.shape],
      axis: observer.axis,
      mins: [...observer.mins],
      maxs: [...observer.maxs],
      bits: entry.params.bits,
      granularity: entry.granularity,
      scales: [...entry.params.scale],
    });
  }
  return out;
}
