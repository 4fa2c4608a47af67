/**
 * The two QuantPlans of QAT, both for ptq/qdq.ts applyPlan (the export path of PTQ):
 *
 * - the starting plan: PTQ — calibration statistics and a tensor range method for activations,
 *   the weights' own per-channel range — at `bits`, with the first and last weighted layers at
 *   `edgeBits` (their weights, their input activations, and the last layer's output: the image and
 *   the logits keep 8-bit precision, as is usual in the QAT literature). It is the PTQ baseline
 *   QAT is compared with, and where QAT starts.
 * - the learned plan: the same targets with the parameters the trained quantizers use now.
 */
import { DataError } from '../errors.ts';
import type { Model, Node } from '../ir/graph.ts';
import type { Tensor } from '../ir/tensor.ts';
import type { Calibration } from '../ptq/calibrate.ts';
import { resolveConfig, type PtqConfig } from '../ptq/config.ts';
import { buildPlan, planWeights, type ActivationPlan, type QuantPlan } from '../ptq/plan.ts';
import { findTargets } from '../ptq/targets.ts';
import type { QuantParams } from '../quant/params.ts';
import type { QatGraph } from './qat-graph.ts';
import { quantizerOf } from './quantizers/index.ts';

export interface StartOptions {
  readonly weightBits: number;
  readonly activationBits: number;
  /** Bits of the first and last weighted layers (undefined: like the others). */
  readonly edgeBits?: number;
  /** Activation range method of calib/methods (default mse). */
  readonly rangeMethod?: string;
}

/** The PTQ config of the starting plan (per-channel symmetric weights, asymmetric uint activations). */
export function startConfig(prepared: Model, options: StartOptions): PtqConfig {
  const base = resolveConfig({ weightBits: options.weightBits, activationBits: options.activationBits, method: options.rangeMethod ?? 'mse' });
  if (options.edgeBits === undefined) return base;
  const layers = findTargets(prepared.graph, base).layers;
  if (layers.length === 0) throw new DataError('QAT: the model has no quantizable layer (Conv, Gemm, MatMul with constant weights)');
  const edges = [layers[0], layers[layers.length - 1]];
  return resolveConfig({ ...base, overrides: Object.fromEntries(edges.map((l) => [l.node.name, { weightBits: options.edgeBits }])) });
}

/** The PTQ plan QAT starts from (see the module comment). */
export function startPlan(prepared: Model, calibration: Calibration, options: StartOptions): QuantPlan {
  const config = startConfig(prepared, options);
  const targets = findTargets(prepared.graph, config);
  const plan = buildPlan(prepared, targets, calibration, config);
  if (options.edgeBits === undefined || options.edgeBits === options.activationBits) return plan;
  const wide = buildPlan(prepared, targets, calibration, { ...config, activationBits: options.edgeBits });
  const first = targets.layers[0];
  const last = targets.layers[targets.layers.length - 1];
  const edgeTensors = [first.input, last.input, (last.activation ?? last.node).outputs[0]];
  const edgeGroups = new Set(edgeTensors.map((t) => plan.activations.get(t)?.group).filter((g) => g !== undefined));
  const activations = new Map([...plan.activations].map(([t, a]) => [t, edgeGroups.has(a.group) ? wide.activations.get(t)! : a]));
  // Biases follow their input's (possibly wider) scale.
  const { biases } = planWeights(prepared, targets, activations, config, (layer) => plan.weights.get(layer.weight)!.params);
  return { ...plan, activations, biases };
}

/** The parameters a quantizer node uses with the given initializer values. */
function paramsOf(node: Node, values: ReadonlyMap<string, Tensor>): QuantParams {
  const op = quantizerOf(node.opType);
  if (op === undefined) throw new Error(`${node.name}: ${node.opType} is not a quantizer`);
  return op.params(node.inputs.map((name) => values.get(name)), node);
}

/** The plan of a trained QAT graph: `values` are its initializers (weights and quantizer parameters) now. */
export function learnedPlan(prepared: Model, start: QuantPlan, qat: QatGraph, values: ReadonlyMap<string, Tensor>): QuantPlan {
  const activations = new Map<string, ActivationPlan>();
  for (const [t, entry] of start.activations) {
    const params = paramsOf(qat.activationQuantizers.get(entry.group)!, values);
    const range = { min: params.scale[0] * (params.qmin - params.zeroPoint[0]), max: params.scale[0] * (params.qmax - params.zeroPoint[0]) };
    // The fraction clipped is a calibration statistic; training does not measure it.
    activations.set(t, { params, range, group: entry.group, clippedFraction: 0 });
  }
  const { weights, biases } = planWeights(prepared, start.targets, activations, start.config, (layer) => paramsOf(qat.weightQuantizers.get(layer.weight)!, values));
  return { ...start, activations, weights, biases };
}
