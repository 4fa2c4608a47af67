/**
 * The PTQ pipeline (the lecture's "PTQ" box): prepare the float graph → calibrate → plan →
 * quantized (QDQ) graph. Each stage is also usable alone (calibrate once, plan many).
 */
import type { Dataset } from '../data/dataset.ts';
import type { Model } from '../ir/graph.ts';
import { rangeMethod } from '../calib/methods/registry.ts';
import { calibrate, type Calibration } from './calibrate.ts';
import { resolveConfig, type PtqConfig } from './config.ts';
import { planFixedPoint } from './fixed-point.ts';
import { prepareForQuantization } from './passes/prepare.ts';
import { buildPlan, type QuantPlan } from './plan.ts';
import { applyPlan } from './qdq.ts';
import { findTargets } from './targets.ts';

export interface PtqResult {
  readonly config: PtqConfig;
  /** The float model after BN/bias folding, constant folding and cleanup: what calibration ran. */
  readonly prepared: Model;
  /** What preparation changed, one line each. */
  readonly changes: readonly string[];
  readonly calibration: Calibration;
  readonly plan: QuantPlan;
  /** The QDQ model (standard ONNX: QuantizeLinear/DequantizeLinear around float ops). */
  readonly quantized: Model;
  /** Quantized activation → the value holding its fake-quantized form in `quantized`. */
  readonly dequantized: ReadonlyMap<string, string>;
}

export interface PtqHooks {
  readonly onProgress?: (stage: 'calibrate' | 'plan', done: number, total: number | undefined) => void;
  /** Reuse statistics from an earlier calibration of the same prepared model. */
  readonly calibration?: Calibration;
}

/** Prepares a float model for quantization (exported for tools that calibrate separately). */
export function prepare(model: Model): { model: Model; changes: string[] } {
  const result = prepareForQuantization(model);
  return { model: result.model, changes: result.changes.map((c) => `${c.pass}: ${c.message}`) };
}

export async function quantizeModel(model: Model, calibrationData: Dataset, partial: Partial<PtqConfig> = {}, hooks: PtqHooks = {}): Promise<PtqResult> {
  const config = resolveConfig(partial);
  const method = rangeMethod(config.method);
  const { model: prepared, changes } = prepare(model);
  const targets = findTargets(prepared.graph, config);
  const calibration =
    hooks.calibration ??
    (await calibrate(prepared, calibrationData, {
      histogram: method.needsHistogram,
      tensors: targets.activations,
      limit: config.calibrationLimit,
      skipNonFinite: config.skipNonFinite,
      onProgress: (done, total) => hooks.onProgress?.('calibrate', done, total),
    }));
  const plan = method.level === 'tensor' ? buildPlan(prepared, targets, calibration, config) : await planFixedPoint(prepared, targets, calibration, config, calibrationData);
  const { model: quantized, dequantized } = applyPlan(prepared, plan);
  return { config, prepared, changes, calibration, plan, quantized, dequantized };
}
