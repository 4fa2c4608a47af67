/**
 * Quantization-aware training as one call (`quantkit qat`, the results table):
 *   1. prepare the float model as PTQ does (BatchNorm folded into the convolutions: the network
 *      trains in the form it will be quantized in, so no BN statistics move under quantization);
 *   2. calibrate on the first training samples and build the PTQ plan (plans.ts startPlan) —
 *      the PTQ baseline, and QAT's initialisation;
 *   3. insert the method's quantizers (qat-graph.ts) and fine-tune weights and quantizer
 *      parameters with the loss of the quantized forward pass;
 *   4. read the learned plan and apply it with ptq/qdq.ts applyPlan — the same export path as
 *      PTQ, so the result is a standard QDQ model the simulated and integer executors and
 *      onnxruntime run.
 */
import { arrayDataset } from '../data/dataset.ts';
import type { Model } from '../ir/graph.ts';
import type { Tensor } from '../ir/tensor.ts';
import { rangeMethod } from '../calib/methods/registry.ts';
import { calibrate } from '../ptq/calibrate.ts';
import type { QuantPlan } from '../ptq/plan.ts';
import { applyPlan } from '../ptq/qdq.ts';
import { prepare } from '../ptq/quantize-model.ts';
import { findTargets } from '../ptq/targets.ts';
import { qatMethod } from './methods.ts';
import { trainingOps } from './ops.ts';
import { learnedPlan, startConfig, startPlan, type StartOptions } from './plans.ts';
import { buildQatGraph } from './qat-graph.ts';
import type { TrainingData } from './train/data.ts';
import type { EpochSummary } from './train/loop.ts';
import { createOptimizer } from './train/optimizer.ts';
import { Trainer } from './train/trainer.ts';
import { optimize, type OptimizationConfig, type TrainHooks } from './train-job.ts';

export interface QatConfig extends OptimizationConfig, StartOptions {
  /** ste, lsq or pact. */
  readonly method: string;
  /** Weight decay of PACT's α. */
  readonly pactDecay: number;
  /** Training samples calibrated on for the starting plan. */
  readonly calibrationSamples: number;
}

export const DEFAULT_QAT_CONFIG: QatConfig = {
  method: 'lsq',
  weightBits: 4,
  activationBits: 4,
  edgeBits: 8,
  rangeMethod: 'mse',
  pactDecay: 5e-4,
  calibrationSamples: 1000,
  epochs: 3,
  batchSize: 64,
  optimizer: 'sgd',
  lr: 0.01,
  momentum: 0.9,
  weightDecay: 1e-4,
  schedule: 'cosine',
  warmupEpochs: 0,
  stepEpochs: 1,
  gamma: 0.1,
  shift: 2,
  rotate: 0,
  scale: 0,
  seed: 1,
};

export interface QatResult {
  /** The float model after preparation (BatchNorm folded): what both plans quantize. */
  readonly prepared: Model;
  /** The PTQ plan and model QAT started from. */
  readonly start: QuantPlan;
  readonly ptq: Model;
  /** The prepared model with the trained weights, the learned plan, and their QDQ model. */
  readonly trained: Model;
  readonly plan: QuantPlan;
  readonly quantized: Model;
  /** The trained QAT graph (quantizer nodes, domain quantkit.qat): runs on the tape, not in ONNX runtimes. */
  readonly fakeQuantized: Model;
  readonly history: readonly EpochSummary[];
}

export async function quantizationAwareTraining(model: Model, data: TrainingData, config: QatConfig, hooks: TrainHooks = {}): Promise<QatResult> {
  const { model: prepared } = prepare(model);
  const calibrationCount = Math.min(config.calibrationSamples, data.count);
  const sampleSize = data.images.length / data.count;
  const calibration = await calibrate(prepared, arrayDataset(data.images.slice(0, calibrationCount * sampleSize), data.sampleShape), {
    histogram: rangeMethod(startConfig(prepared, config).method).needsHistogram,
    tensors: findTargets(prepared.graph, startConfig(prepared, config)).activations,
    limit: calibrationCount,
  });
  const start = startPlan(prepared, calibration, config);
  const qat = buildQatGraph(prepared, start, qatMethod(config.method, { pactDecay: config.pactDecay }), config.weightDecay);
  const trainer = new Trainer(qat.model, trainingOps(), qat.parameters, createOptimizer(config.optimizer, { momentum: config.momentum }));
  const history = await optimize(trainer, data, config, { ...config, samples: data.count }, hooks);
  const fakeQuantized = trainer.model();
  const values = fakeQuantized.graph.initializers;
  const plan = learnedPlan(prepared, start, qat, values);
  const trained = withInitializers(prepared, values);
  return { prepared, start, ptq: applyPlan(prepared, start).model, trained, plan, quantized: applyPlan(trained, plan).model, fakeQuantized, history };
}

/** `model` with the initializers it shares with `values` replaced. */
function withInitializers(model: Model, values: ReadonlyMap<string, Tensor>): Model {
  const initializers = new Map([...model.graph.initializers].map(([name, t]) => [name, values.get(name) ?? t]));
  return { ...model, graph: { ...model.graph, initializers } };
}
