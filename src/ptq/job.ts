/**
 * The whole quantization job as one call — quantize, export, evaluate, diagnose — returning a
 * plain-JSON summary. The CLI (`quantkit quantize`, `npm start`) and the browser demo both run
 * this, so they report the same numbers.
 */
import type { Dataset } from '../data/dataset.ts';
import { evaluate } from '../eval/evaluate.ts';
import type { Model } from '../ir/graph.ts';
import { summarizeGraph } from '../ir/summary.ts';
import { exportModel } from '../onnx/export.ts';
import { exportQOperator } from '../onnx/qoperator/export.ts';
import { createIntegerExecutor } from '../runtime/integer/executor.ts';
import { loweringSummary } from '../runtime/integer/lower.ts';
import { createExecutor } from '../runtime/executor.ts';
import { floatKernels } from '../runtime/kernels/float/register.ts';
import { simulatedKernels } from '../runtime/kernels/simulated/register.ts';
import type { PtqConfig } from './config.ts';
import { accumulatorRisks, type AccumulatorRisk } from './accumulator.ts';
import { layerReports, type LayerReport } from './layers.ts';
import { planToJSON, type PlanJSON } from './plan-json.ts';
import { quantizeModel, type PtqResult } from './quantize-model.ts';

export interface JobInput {
  readonly model: Model;
  /** Size of the model file, for the size comparison. */
  readonly modelBytes: number;
  readonly calibration: Dataset;
  /** Labelled data to measure top-1 on (float and simulated), if any. */
  readonly evaluation?: Dataset;
  readonly config?: Partial<PtqConfig>;
  /** Samples used for the per-tensor SQNR (default 100, from the calibration data). */
  readonly diagnosticSamples?: number;
  /** The written form: 'qdq' (QuantizeLinear/DequantizeLinear around float ops, default) or 'qoperator' (QLinearConv, QGemm, ...). */
  readonly format?: 'qdq' | 'qoperator';
  readonly onProgress?: (stage: string, done: number, total: number | undefined) => void;
}

export interface JobSummary {
  readonly config: PtqConfig;
  readonly calibration: { readonly samples: number; readonly skipped: number };
  readonly preparation: readonly string[];
  readonly eval?: { readonly samples: number; readonly float: number; readonly simulated: number; readonly integer: number };
  /** How the integer executor runs the model: nodes left in float (and why), int32 accumulator bounds. */
  readonly integer: ReturnType<typeof loweringSummary>;
  readonly format: 'qdq' | 'qoperator';
  /** File bytes, and the bytes of the weight tensors alone (sub-byte types packed, as in the file). */
  readonly sizes: { readonly float: number; readonly quantized: number; readonly weights: { readonly float: number; readonly quantized: number } };
  readonly layers: readonly LayerReport[];
  /** Layers whose int32 accumulator could overflow in integer execution (use reduceRange or fewer bits). */
  readonly accumulatorRisks: readonly AccumulatorRisk[];
  readonly plan: PlanJSON;
  readonly seconds: { readonly quantize: number; readonly evaluate: number };
}

export interface JobResult {
  readonly summary: JobSummary;
  readonly result: PtqResult;
  /** The quantized model as ONNX (QDQ) bytes. */
  readonly onnx: Uint8Array;
}

export async function runQuantizationJob(input: JobInput): Promise<JobResult> {
  const t0 = performance.now();
  const result = await quantizeModel(input.model, input.calibration, input.config, { onProgress: (stage, d, t) => input.onProgress?.(stage, d, t) });
  const integer = createIntegerExecutor(result.quantized);
  const format = input.format ?? 'qdq';
  const onnx = format === 'qdq' ? exportModel(result.quantized) : exportQOperator(integer.lowering.model);
  const t1 = performance.now();
  const float = createExecutor(result.prepared, floatKernels());
  const simulated = createExecutor(result.quantized, simulatedKernels());
  const layers = await layerReports(float, simulated, result.dequantized, result.plan, input.calibration, input.diagnosticSamples ?? 100);
  let evaluation: JobSummary['eval'];
  if (input.evaluation !== undefined) {
    const original = createExecutor(input.model, floatKernels());
    const f = await evaluate(original, input.evaluation, { onProgress: (d, t) => input.onProgress?.('evaluate float', d, t) });
    const s = await evaluate(simulated, input.evaluation, { onProgress: (d, t) => input.onProgress?.('evaluate simulated', d, t) });
    const i = await evaluate(integer, input.evaluation, { onProgress: (d, t) => input.onProgress?.('evaluate integer', d, t) });
    evaluation = { samples: f.samples, float: f.top1, simulated: s.top1, integer: i.top1 };
  }
  const t2 = performance.now();
  const summary: JobSummary = {
    config: result.config,
    calibration: { samples: result.calibration.samples, skipped: result.calibration.skipped },
    preparation: result.changes,
    ...(evaluation ? { eval: evaluation } : {}),
    integer: loweringSummary(integer.lowering),
    format,
    sizes: {
      float: input.modelBytes,
      quantized: onnx.length,
      weights: { float: summarizeGraph(input.model.graph).parameterBytes, quantized: summarizeGraph(result.quantized.graph).parameterBytes },
    },
    layers,
    accumulatorRisks: accumulatorRisks(result.prepared, result.plan),
    plan: planToJSON(result.plan),
    seconds: { quantize: (t1 - t0) / 1000, evaluate: (t2 - t1) / 1000 },
  };
  return { summary, result, onnx };
}
