/**
 * The whole quantization job as one call — quantize, export, evaluate, diagnose — returning a
 * plain-JSON summary. The CLI (`quantkit quantize`, `npm start`) and the browser demo both run
 * this, so they report the same numbers.
 */
import { rangeMethod } from '../calib/methods/registry.ts';
import type { Dataset } from '../data/dataset.ts';
import { DataError, RangeArgumentError } from '../errors.ts';
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
import { accumulatorRisks, type AccumulatorRisk } from './accumulator.ts';
import type { Calibration } from './calibrate.ts';
import { resolveConfig, type PtqConfig } from './config.ts';
import { integerAgreement, type LsbAgreement } from './diagnostics/agreement.ts';
import { tensorDistributions, type TensorDistribution } from './diagnostics/distributions.ts';
import { weightRanges, type WeightRanges } from './diagnostics/weight-ranges.ts';
import { layerReports, type LayerReport } from './layers.ts';
import { planToJSON, type PlanJSON } from './plan-json.ts';
import { prepare, quantizeModel, type PtqResult } from './quantize-model.ts';
import { findTargets } from './targets.ts';

export interface JobInput {
  readonly model: Model;
  /** Size of the model file, for the size comparison. */
  readonly modelBytes: number;
  readonly calibration: Dataset;
  /**
   * Statistics of an earlier calibration of the same model (`quantkit calibrate`), used instead of
   * calibrating on `calibration` (which then serves the diagnostics only). Tensor-level methods only.
   */
  readonly statistics?: Calibration;
  /** Labelled data to measure top-1 on (float and simulated), if any. */
  readonly evaluation?: Dataset;
  readonly config?: Partial<PtqConfig>;
  /** Samples used for the per-tensor SQNR and the integer-vs-simulated comparison (default 100, from the calibration data). */
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
  /** Per activation group: the calibration histogram, the range each tensor-level method picks, the methods' curves. */
  readonly distributions: readonly TensorDistribution[];
  /** Per weighted layer: min/max of every output channel of its float weight. */
  readonly weightRanges: readonly WeightRanges[];
  /** Per quantized activation: integer vs simulated codes, elements differing by 0, 1, ≥ 2 LSB. */
  readonly agreement: readonly LsbAgreement[];
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
  if (input.statistics !== undefined) checkStatistics(input.model, input.statistics, resolveConfig(input.config));
  const result = await quantizeModel(input.model, input.calibration, input.config, {
    onProgress: (stage, d, t) => input.onProgress?.(stage, d, t),
    ...(input.statistics ? { calibration: input.statistics } : {}),
  });
  const integer = createIntegerExecutor(result.quantized);
  const format = input.format ?? 'qdq';
  const onnx = format === 'qdq' ? exportModel(result.quantized) : exportQOperator(integer.lowering.model);
  const t1 = performance.now();
  const float = createExecutor(result.prepared, floatKernels());
  const simulated = createExecutor(result.quantized, simulatedKernels());
  const diagnosticSamples = input.diagnosticSamples ?? 100;
  const layers = await layerReports(float, simulated, result.dequantized, result.plan, input.calibration, diagnosticSamples);
  const agreement = await integerAgreement(simulated, integer, result.dequantized, input.calibration, diagnosticSamples);
  const activations = [...result.plan.activations].map(([tensor, a]) => ({ tensor, group: a.group, bits: a.params.bits }));
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
    distributions: tensorDistributions(activations, result.calibration, result.config),
    weightRanges: weightRanges(result.prepared, result.plan),
    agreement,
    seconds: { quantize: (t1 - t0) / 1000, evaluate: (t2 - t1) / 1000 },
  };
  return { summary, result, onnx };
}

/**
 * Checks saved statistics against the model before they replace calibration: every tensor the
 * plan quantizes needs its statistics (and a histogram when the method reads one).
 * @throws RangeArgumentError for a network-level method, DataError for statistics of another model.
 */
export function checkStatistics(model: Model, statistics: Calibration, config: PtqConfig): void {
  const method = rangeMethod(config.method);
  if (method.level !== 'tensor') {
    throw new RangeArgumentError(`saved calibration statistics serve the tensor-level range methods; ${method.name} searches its ranges by running the network`);
  }
  const targets = findTargets(prepare(model).model.graph, config).activations;
  const list = (names: readonly string[]) => `${names.slice(0, 3).join(', ')}${names.length > 3 ? `, … (${names.length} in all)` : ''}`;
  const missing = targets.filter((t) => !statistics.stats.has(t));
  if (missing.length > 0) {
    throw new DataError(`the calibration statistics do not match this model: none for tensor ${list(missing)} of its ${targets.length} quantized tensors; calibrate this model again`);
  }
  const bare = method.needsHistogram ? targets.filter((t) => statistics.stats.get(t)!.histogram === undefined) : [];
  if (bare.length > 0) throw new DataError(`range method ${method.name} needs histograms; the calibration statistics have none for ${list(bare)}`);
}

/**
 * The summary as written to disk (`quantize --json`, `npm start`'s summary file) and read back by
 * `quantkit report`: plain JSON, so an SQNR of +∞ (a tensor quantized without error) is null.
 */
export interface JobSummaryJSON {
  readonly eval?: { readonly samples: number; readonly float: number; readonly simulated: number; readonly integer: number };
  readonly layers: readonly {
    readonly tensor: string;
    readonly range: readonly [number, number];
    readonly sqnr_db: number | null;
    readonly clipped_fraction: number;
    readonly bits: number;
    readonly scale: number;
    readonly zero_point: number;
  }[];
  readonly sizes: JobSummary['sizes'];
  readonly calibration: JobSummary['calibration'];
  readonly accumulator_risks: readonly AccumulatorRisk[];
  readonly format: JobSummary['format'];
  readonly integer: {
    readonly float_nodes: readonly string[];
    readonly fallbacks: JobSummary['integer']['fallbacks'];
    readonly accumulators: JobSummary['integer']['accumulators'];
    readonly notes: readonly string[];
  };
  readonly config: PtqConfig;
  readonly preparation: readonly string[];
  readonly float_nodes: readonly string[];
  readonly seconds: JobSummary['seconds'];
  readonly distributions: readonly TensorDistribution[];
  readonly weight_ranges: readonly WeightRanges[];
  readonly integer_agreement: readonly LsbAgreement[];
  readonly plan: PlanJSON;
}

/** The JSON form of a summary: eval and layers first (what people read), then the rest. */
export function summaryToJSON(s: JobSummary): JobSummaryJSON {
  return {
    ...(s.eval ? { eval: { samples: s.eval.samples, float: s.eval.float, simulated: s.eval.simulated, integer: s.eval.integer } } : {}),
    layers: s.layers.map((l) => ({
      tensor: l.tensor,
      range: l.range,
      sqnr_db: Number.isFinite(l.sqnrDb) ? l.sqnrDb : null,
      clipped_fraction: l.clippedFraction,
      bits: l.bits,
      scale: l.scale,
      zero_point: l.zeroPoint,
    })),
    sizes: s.sizes,
    calibration: s.calibration,
    accumulator_risks: s.accumulatorRisks,
    format: s.format,
    integer: { float_nodes: s.integer.floatNodes, fallbacks: s.integer.fallbacks, accumulators: s.integer.accumulators, notes: s.integer.notes },
    config: s.config,
    preparation: s.preparation,
    float_nodes: s.plan.floatNodes,
    seconds: s.seconds,
    distributions: s.distributions,
    weight_ranges: s.weightRanges,
    integer_agreement: s.agreement,
    plan: s.plan,
  };
}
