/**
 * One fuzz case through everything a user does with a model file: import → inspect (what
 * `quantkit inspect` computes) → run it (float, or simulated and integer when it is quantized)
 * → for a float model, quantize (PTQ on a 2–4 sample calibration set) → export QDQ and QOperator
 * and import both again → run the quantized model simulated and integer-only. Steps that do not depend on each
 * other all run, so one typed refusal does not hide a crash further on. Browser-safe: bytes in.
 */
import type { Limits } from '../ir/limits.ts';
import type { Model } from '../ir/graph.ts';
import { summarizeGraph } from '../ir/summary.ts';
import type { Tensor } from '../ir/tensor.ts';
import { importModel } from '../onnx/import.ts';
import { exportModel } from '../onnx/export.ts';
import { exportQOperator } from '../onnx/qoperator/export.ts';
import { quantizedForm } from '../onnx/qoperator/import.ts';
import { quantizeModel } from '../ptq/quantize-model.ts';
import { createExecutor } from '../runtime/executor.ts';
import { prepareQuantizedModel } from '../runtime/integer/load.ts';
import { floatKernels } from '../runtime/kernels/float/register.ts';
import { integerKernels } from '../runtime/kernels/integer/register.ts';
import { simulatedKernels } from '../runtime/kernels/simulated/register.ts';
import { classify, type Verdict } from './classify.ts';
import { buildCalibration, buildFeeds } from './feeds.ts';
import type { FuzzRandom } from './random.ts';

export type Step = 'import' | 'inspect' | 'run' | 'quantize' | 'export' | 'reimport' | 'run-quantized';

export interface PipelineResult {
  readonly outcome: 'ok' | 'error' | 'crash';
  /** The step that ended the case (the last step for ok). */
  readonly step: Step;
  /** QuantkitError code, for 'error'. */
  readonly code?: string;
  readonly message?: string;
  /** Steps that completed. */
  readonly passed: readonly Step[];
}

/** Quantization settings a case picks from: cheap range methods (entropy's 2048-bin search costs 50× more). */
const METHODS = ['max', 'max', 'max', 'percentile', 'percentile', 'mse'];

export async function runPipeline(bytes: Uint8Array, rng: FuzzRandom, limits: Partial<Limits>): Promise<PipelineResult> {
  const passed: Step[] = [];
  const verdicts: { step: Step; verdict: Verdict }[] = [];
  const attempt = async <T>(step: Step, fn: () => T | Promise<T>): Promise<T | undefined> => {
    try {
      const value = await fn();
      passed.push(step);
      return value;
    } catch (error) {
      const verdict = classify(error);
      // quantkit's own output must import again: a refusal there is a bug too.
      verdicts.push({ step, verdict: step === 'reimport' && verdict.kind === 'error' ? { kind: 'crash', message: `own export refused: ${verdict.code}: ${verdict.message}` } : verdict });
      return undefined;
    }
  };

  const model = await attempt('import', () => importModel(bytes, { fileName: 'fuzz.onnx', limits }));
  if (model !== undefined) {
    const form = await attempt('inspect', () => inspect(model));
    const feeds = buildFeeds(model.graph, rng);
    if (form !== undefined) await attempt('run', () => runEngines(model, form, feeds));
    const method = rng.pick(METHODS);
    const granularity = rng.pick(['tensor', 'channel'] as const);
    const weightBits = rng.pick([8, 8, 4]);
    // PTQ takes float models (a quantized one does not run on the float kernels calibration uses).
    const ptq = form !== 'float' ? undefined : await attempt('quantize', () => quantizeModel(model, buildCalibration(model.graph, rng), { method, granularity, weightBits, calibrationLimit: 4 }));
    if (ptq !== undefined) {
      const exported = await attempt('export', () => {
        const integer = prepareQuantizedModel(ptq.quantized).model;
        return { integer, files: [exportModel(ptq.quantized), exportQOperator(integer)] };
      });
      if (exported !== undefined) {
        await attempt('reimport', () => exported.files.forEach((file) => importModel(file, { limits })));
        await attempt('run-quantized', () => {
          createExecutor(ptq.quantized, simulatedKernels()).runSync(feeds);
          createExecutor(exported.integer, integerKernels()).runSync(feeds);
        });
      }
    }
  }
  const crash = verdicts.find((v) => v.verdict.kind === 'crash');
  const first = crash ?? verdicts[0];
  if (first === undefined) return { outcome: 'ok', step: passed[passed.length - 1], passed };
  const { step, verdict } = first;
  return verdict.kind === 'crash' ? { outcome: 'crash', step, message: verdict.message, passed } : { outcome: 'error', step, code: verdict.code, message: verdict.message, passed };
}

/** What `quantkit inspect` computes: the summary, unsupported ops, the quantized form and, when every op is supported, the integer lowering. */
function inspect(model: Model): 'float' | 'qdq' | 'qoperator' {
  const summary = summarizeGraph(model.graph);
  const registries = [simulatedKernels(), integerKernels()];
  const unsupported = summary.ops.filter(([op]) => {
    const [domain, name] = op.includes('::') ? op.split('::') : ['', op];
    return !registries.some((r) => r.has(name, domain));
  });
  const form = quantizedForm(model);
  if (form !== 'float' && unsupported.length === 0) prepareQuantizedModel(model);
  return form;
}

/** The engines a user runs the model with: float for a float model; simulated (QDQ) and integer for a quantized one. */
function runEngines(model: Model, form: 'float' | 'qdq' | 'qoperator', feeds: Record<string, Tensor>): void {
  if (form === 'float') {
    createExecutor(model, floatKernels()).runSync(feeds);
    return;
  }
  if (form === 'qdq') createExecutor(model, simulatedKernels()).runSync(feeds);
  createExecutor(prepareQuantizedModel(model).model, integerKernels()).runSync(feeds);
}
