/**
 * The QuantPlan: a QuantParams for every quantized tensor — activations from calibration
 * statistics and a range method, weights from their own values at the configured granularity,
 * biases as int32 with scale s_in·s_w (docs/QUANTIZATION.md eq. (13)).
 */
import { rangeMethod } from '../calib/methods/registry.ts';
import type { MethodCurve, TensorRangeMethod } from '../calib/methods/method.ts';
import { HistogramObserver } from '../calib/observers/histogram.ts';
import { MinMaxObserver } from '../calib/observers/minmax.ts';
import { DataError } from '../errors.ts';
import type { Model } from '../ir/graph.ts';
import type { Tensor } from '../ir/tensor.ts';
import { paramsForTensor, type Granularity } from '../quant/granularity.ts';
import { fitWeightScalesToBias, paramsForBias, paramsFromRange, type QuantParams } from '../quant/params.ts';
import type { Calibration, TensorStatistics } from './calibrate.ts';
import { overrideFor, type PtqConfig } from './config.ts';
import type { QuantTargets, WeightedLayer } from './targets.ts';

export interface ActivationPlan {
  readonly params: QuantParams;
  /** The clipping range the method chose. */
  readonly range: { readonly min: number; readonly max: number };
  /** Shared-parameter group (its first member). */
  readonly group: string;
  /** Fraction of calibration values outside the range (saturated). */
  readonly clippedFraction: number;
  readonly curve?: MethodCurve;
}

export interface WeightPlan {
  readonly params: QuantParams;
  readonly node: string;
  readonly granularity: Granularity;
}

export interface QuantPlan {
  readonly config: PtqConfig;
  readonly targets: QuantTargets;
  readonly activations: ReadonlyMap<string, ActivationPlan>;
  readonly weights: ReadonlyMap<string, WeightPlan>;
  readonly biases: ReadonlyMap<string, WeightPlan>;
}

/** Activation parameters for every group (tensor-level range methods), then weights and biases. */
export function buildPlan(model: Model, targets: QuantTargets, calibration: Calibration, config: PtqConfig): QuantPlan {
  const method = rangeMethod(config.method);
  if (method.level !== 'tensor') throw new DataError(`method ${method.name} chooses ranges for the whole network; use planFixedPoint`);
  const activations = new Map<string, ActivationPlan>();
  for (const [group, members] of groupMembers(targets)) {
    const stats = mergedStatistics(members, calibration);
    const bits = activationBits(model, members[0], config);
    const request = { bits, scheme: config.activationScheme, signed: config.activationSigned, percentile: config.percentile };
    const choice = (method as TensorRangeMethod).choose({ min: stats.minmax.min, max: stats.minmax.max, ...(stats.histogram ? { histogram: stats.histogram } : {}) }, request);
    const params = paramsFromRange(choice.min, choice.max, request);
    const plan: ActivationPlan = {
      params,
      range: { min: choice.min, max: choice.max },
      group,
      clippedFraction: clippedFraction(stats, params),
      ...(choice.curve ? { curve: choice.curve } : {}),
    };
    for (const m of members) activations.set(m, plan);
  }
  const { weights, biases } = planWeights(model, targets, activations, config, (layer, data, shape, bits, granularity) => {
    const axis = granularity === 'group' ? layer.role.groupAxis(layer.node, shape.length) : layer.role.channelAxis(layer.node, shape.length);
    return paramsForTensor(data, shape, {
      granularity,
      ...(granularity === 'tensor' ? {} : { axis }),
      ...(granularity === 'group' ? { groupSize: config.groupSize } : {}),
      bits,
      scheme: config.weightScheme,
    });
  });
  return { config, targets, activations, weights, biases };
}

export type WeightQuantizer = (layer: WeightedLayer, data: Float32Array, shape: readonly number[], bits: number, granularity: Granularity) => QuantParams;

/** Weight and bias parameters of every weighted layer, with `quantizeWeight` choosing the weight's params. */
export function planWeights(
  model: Model,
  targets: QuantTargets,
  activations: ReadonlyMap<string, ActivationPlan>,
  config: PtqConfig,
  quantizeWeight: WeightQuantizer,
): { weights: Map<string, WeightPlan>; biases: Map<string, WeightPlan> } {
  const weights = new Map<string, WeightPlan>();
  const biases = new Map<string, WeightPlan>();
  for (const layer of targets.layers) {
    const override = overrideFor(config, layer.node.name, layer.node.opType);
    const weight = model.graph.initializers.get(layer.weight) as Tensor;
    const granularity = override.granularity ?? config.granularity;
    // A weight shared by two layers is quantized once (the first layer's choice).
    if (!weights.has(layer.weight)) {
      const bits = (override.weightBits ?? config.weightBits) - (config.reduceRange ? 1 : 0);
      const params = quantizeWeight(layer, weight.data as Float32Array, weight.shape, bits, granularity);
      weights.set(layer.weight, { params, node: layer.node.name, granularity });
    }
    const input = activations.get(layer.input);
    const bias = layer.bias === undefined ? undefined : model.graph.initializers.get(layer.bias);
    let weightPlan = weights.get(layer.weight)!;
    // int32 bias needs one accumulator scale per output channel: not with per-group weights.
    if (bias === undefined || input === undefined || weightPlan.granularity === 'group' || biases.has(layer.bias!)) continue;
    const channels = weight.shape[layer.role.channelAxis(layer.node, weight.shape.length)];
    if (bias.data.length !== channels || bias.shape.filter((d) => d !== 1).length > 1) continue;
    const fitted = fitWeightScalesToBias(weightPlan.params, input.params.scale[0], bias.data as Float32Array);
    if (fitted !== weightPlan.params) weights.set(layer.weight, (weightPlan = { ...weightPlan, params: fitted }));
    const weightScales = weightPlan.params.scale.length === 1 ? weightPlan.params.scale[0] : weightPlan.params.scale;
    biases.set(layer.bias!, { params: paramsForBias(input.params.scale[0], weightScales), node: layer.node.name, granularity: weightPlan.params.scale.length === 1 ? 'tensor' : 'channel' });
  }
  return { weights, biases };
}

/** Group representative → its members, in production order. */
export function groupMembers(targets: QuantTargets): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const t of targets.activations) {
    const g = targets.groupOf.get(t) ?? t;
    const list = groups.get(g);
    if (list) list.push(t);
    else groups.set(g, [t]);
  }
  return groups;
}

/** The statistics of a group: its members' observers merged (exactly). */
export function mergedStatistics(members: readonly string[], calibration: Calibration): TensorStatistics {
  const first = calibration.stats.get(members[0]);
  if (first === undefined) throw new DataError(`no calibration statistics for tensor ${members[0]}`);
  if (members.length === 1) return first;
  const minmax = new MinMaxObserver();
  const histogram = first.histogram ? new HistogramObserver(first.histogram.bins) : undefined;
  for (const m of members) {
    const s = calibration.stats.get(m);
    if (s === undefined) throw new DataError(`no calibration statistics for tensor ${m}`);
    minmax.merge(s.minmax);
    if (histogram && s.histogram) histogram.merge(s.histogram);
  }
  return { minmax, ...(histogram ? { histogram } : {}) };
}

/** Activation bits of a tensor: the override of the node producing it, else the config's. */
function activationBits(model: Model, tensor: string, config: PtqConfig): number {
  const producer = model.graph.nodes.find((n) => n.outputs.includes(tensor));
  return (producer ? overrideFor(config, producer.name, producer.opType).activationBits : undefined) ?? config.activationBits;
}

/** Fraction of observed values outside the representable range of `params` (from the histogram when there is one). */
function clippedFraction(stats: TensorStatistics, params: QuantParams): number {
  const h = stats.histogram;
  if (h === undefined || h.count === 0) return 0;
  const s = params.scale[0];
  const z = params.zeroPoint[0];
  const lo = (params.qmin - z - 0.5) * s;
  const hi = (params.qmax - z + 0.5) * s;
  let outside = 0;
  const w = h.binWidth;
  for (let j = 0; j < h.counts.length; j++) {
    const left = -h.halfRange + j * w;
    if (left + w <= lo || left >= hi) outside += h.counts[j];
  }
  return outside / h.count;
}
