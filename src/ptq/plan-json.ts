/** A QuantPlan as plain JSON, for `quantize --plan`, the report and other tools. */
import type { QuantParams } from '../quant/params.ts';
import type { PtqConfig } from './config.ts';
import type { QuantPlan } from './plan.ts';

export interface ParamsJSON {
  readonly bits: number;
  readonly signed: boolean;
  readonly qmin: number;
  readonly qmax: number;
  readonly scale: number[];
  readonly zeroPoint: number[];
  readonly axis?: number;
  readonly groupSize?: number;
}

export interface PlanJSON {
  readonly config: PtqConfig;
  readonly activations: Record<string, ParamsJSON & { range: [number, number]; group: string; clippedFraction: number }>;
  readonly weights: Record<string, ParamsJSON & { node: string; granularity: string }>;
  readonly biases: Record<string, ParamsJSON & { node: string }>;
  /** Weighted layer → the Relu/Clip fused into it. */
  readonly fused: Record<string, string>;
  readonly floatNodes: readonly string[];
}

export function paramsToJSON(p: QuantParams): ParamsJSON {
  return {
    bits: p.bits,
    signed: p.signed,
    qmin: p.qmin,
    qmax: p.qmax,
    scale: [...p.scale],
    zeroPoint: [...p.zeroPoint],
    ...(p.axis === undefined ? {} : { axis: p.axis }),
    ...(p.groupSize === undefined ? {} : { groupSize: p.groupSize }),
  };
}

export function planToJSON(plan: QuantPlan): PlanJSON {
  const activations: PlanJSON['activations'] = {};
  for (const [t, a] of plan.activations) activations[t] = { ...paramsToJSON(a.params), range: [a.range.min, a.range.max], group: a.group, clippedFraction: a.clippedFraction };
  const weights: PlanJSON['weights'] = {};
  for (const [w, p] of plan.weights) weights[w] = { ...paramsToJSON(p.params), node: p.node, granularity: p.granularity };
  const biases: PlanJSON['biases'] = {};
  for (const [b, p] of plan.biases) biases[b] = { ...paramsToJSON(p.params), node: p.node };
  const fused: Record<string, string> = {};
  for (const layer of plan.targets.layers) if (layer.activation) fused[layer.node.name] = layer.activation.name;
  return { config: plan.config, activations, weights, biases, fused, floatNodes: plan.targets.floatNodes };
}
