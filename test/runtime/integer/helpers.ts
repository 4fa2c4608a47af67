// Shared helpers of the integer-runtime tests: quantize a small float graph with quantkit's PTQ,
// list the integer tensors of a QDQ model, compare integer tensors in LSB, and run onnxruntime
// with intermediate values as extra outputs.
import * as ort from 'onnxruntime-node';
import { arrayDataset } from '../../../src/data/dataset.ts';
import type { DType } from '../../../src/ir/dtype.ts';
import type { Model } from '../../../src/ir/graph.ts';
import { tensor, type Tensor } from '../../../src/ir/tensor.ts';
import { seededRandom } from '../../../src/numeric/rounding.ts';
import type { PtqConfig } from '../../../src/ptq/config.ts';
import { quantizeModel, type PtqResult } from '../../../src/ptq/quantize-model.ts';
import { mnistModel } from '../../ptq/mnist.ts';

/** `count` samples of `shape`, uniform in [lo, hi), seeded. */
export function uniformSamples(count: number, shape: readonly number[], seed: number, lo = -1, hi = 1): Float32Array {
  const random = seededRandom(seed);
  const n = count * shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * random();
  return out;
}

/** Quantizes `model` with quantkit's PTQ (max ranges unless the config says otherwise) calibrated on `samples`. */
export async function ptq(model: Model, samples: Float32Array, sampleShape: readonly number[], config: Partial<PtqConfig> = {}): Promise<PtqResult> {
  return quantizeModel(model, arrayDataset(samples, sampleShape), { method: 'max', calibrationLimit: 1000, ...config });
}

/** The integer activation tensors of a QDQ model: what each activation DequantizeLinear reads. */
export function integerActivations(model: Model): string[] {
  const names: string[] = [];
  for (const node of model.graph.nodes) {
    if (node.opType !== 'DequantizeLinear' || model.graph.initializers.has(node.inputs[0])) continue;
    if (!names.includes(node.inputs[0])) names.push(node.inputs[0]);
  }
  return names;
}

/** Element agreement of two integer tensors. */
export interface LsbAgreement {
  readonly count: number;
  readonly exact: number;
  readonly within1: number;
  readonly maxDiff: number;
}

export function compareLsb(a: ArrayLike<number>, b: ArrayLike<number>, into: LsbAgreement = { count: 0, exact: 0, within1: 0, maxDiff: 0 }): LsbAgreement {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let { count, exact, within1, maxDiff } = into;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(Number(a[i]) - Number(b[i]));
    count++;
    if (d === 0) exact++;
    if (d <= 1) within1++;
    if (d > maxDiff) maxDiff = d;
  }
  return { count, exact, within1, maxDiff };
}

export function fraction(a: LsbAgreement, key: 'exact' | 'within1'): number {
  return a.count === 0 ? 1 : a[key] / a.count;
}

/** `model` with `names` (typed `dtypes`) as extra graph outputs, so onnxruntime returns them. */
export function withOutputs(model: Model, names: readonly string[], dtypes: ReadonlyMap<string, DType>): Model {
  const have = new Set(model.graph.outputs.map((o) => o.name));
  const extra = names.filter((n) => !have.has(n)).map((name) => ({ name, dtype: dtypes.get(name) }));
  return { ...model, graph: { ...model.graph, outputs: [...model.graph.outputs, ...extra] } };
}

/** An onnxruntime session (graph optimizations off: the reference runs the ops as written). */
export async function ortSession(bytes: Uint8Array): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(bytes, { logSeverityLevel: 3, graphOptimizationLevel: 'disabled' });
}

/** Runs a session on float32 feeds; every output as a quantkit-like {dtype-less} array. */
export async function ortRun(session: ort.InferenceSession, feeds: Record<string, Tensor>): Promise<Record<string, ArrayLike<number>>> {
  const ortFeeds: Record<string, ort.Tensor> = {};
  for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = new ort.Tensor('float32', t.data as Float32Array, t.shape as number[]);
  const results = await session.run(ortFeeds);
  const out: Record<string, ArrayLike<number>> = {};
  for (const [name, t] of Object.entries(results)) out[name] = t.data as ArrayLike<number>;
  return out;
}

/** A float32 batch tensor over `samples[start, start + n)`. */
export function batch(samples: Float32Array, sampleShape: readonly number[], start: number, n: number): Tensor {
  const size = sampleShape.reduce((a, b) => a * b, 1);
  return tensor('float32', [n, ...sampleShape], samples.subarray(start * size, (start + n) * size));
}

/** Index of the largest value in each row of a [rows, cols] array. */
export function argmaxRows(data: ArrayLike<number>, cols: number): number[] {
  const out: number[] = [];
  for (let r = 0; r * cols < data.length; r++) {
    let best = 0;
    for (let c = 1; c < cols; c++) if (data[r * cols + c] > data[r * cols + best]) best = c;
    out.push(best);
  }
  return out;
}

/**
 * mnist-8 with a free batch dimension ([1, 1, 28, 28] → [N, 1, 28, 28], its Reshape to [1, 256] →
 * [−1, 256]), so executors run many images per call; per image the graph is unchanged.
 */
export function batchedMnist(): Model {
  const model = mnistModel();
  const g = model.graph;
  const initializers = new Map(g.initializers);
  for (const [name, t] of initializers) {
    if (t.dtype === 'int64' && t.data.length === 2 && t.data[0] === 1 && t.data[1] === 256) initializers.set(name, tensor('int64', [2], Float64Array.from([-1, 256])));
  }
  return {
    ...model,
    graph: {
      ...g,
      initializers,
      inputs: g.inputs.map((v) => ({ ...v, shape: ['N', ...(v.shape ?? []).slice(1)] })),
      outputs: g.outputs.map((v) => ({ ...v, shape: ['N', ...(v.shape ?? []).slice(1)] })),
      valueInfo: new Map(),
    },
  };
}
