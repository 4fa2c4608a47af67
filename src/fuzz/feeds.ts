/**
 * Inputs for a fuzz case, built from what the (possibly damaged) model declares: one feed per
 * graph input, and a 2–4 sample calibration set shaped like the first input. Unknown dims become
 * 1; a declared input too large to build gets a small tensor instead, which the executor must
 * refuse with a typed error like any feed that does not fit.
 */
import { arrayDataset, type Dataset } from '../data/dataset.ts';
import { allocate, DTYPES, type DType } from '../ir/dtype.ts';
import type { Dim, Graph } from '../ir/graph.ts';
import type { Tensor } from '../ir/tensor.ts';
import { ABSURD_INTS } from './mutate-tensors.ts';
import type { FuzzRandom } from './random.ts';

/** Largest input the harness builds (elements); larger declared inputs get a mismatching small one. */
const MAX_FEED_ELEMENTS = 1 << 16;

function concreteShape(dims: readonly Dim[] | undefined): number[] {
  const shape = (dims ?? [4]).map((d) => (typeof d === 'number' && Number.isSafeInteger(d) && d >= 0 ? d : 1));
  return shape.reduce((a, b) => a * b, 1) <= MAX_FEED_ELEMENTS ? shape : [4];
}

/** Values that exercise the op: floats in [-1, 1); integers mostly small (indices, shapes), sometimes absurd. */
function fill(dtype: DType, count: number, rng: FuzzRandom): Tensor['data'] {
  const data = allocate(dtype, count);
  const info = DTYPES[dtype];
  for (let i = 0; i < count; i++) {
    if (info.kind === 'float') data[i] = rng.float() * 2 - 1;
    else if (info.kind === 'bool') data[i] = rng.below(2);
    else data[i] = rng.chance(0.05) ? rng.pick(ABSURD_INTS) : rng.between(Math.max(info.min ?? 0, -1), Math.min(info.max ?? 3, 3));
  }
  return data;
}

/** One feed per graph input of `graph`. */
export function buildFeeds(graph: Graph, rng: FuzzRandom): Record<string, Tensor> {
  const feeds: Record<string, Tensor> = {};
  for (const input of graph.inputs) {
    const dtype = input.dtype ?? 'float32';
    const shape = concreteShape(input.shape);
    feeds[input.name] = { dtype, shape, data: fill(dtype, shape.reduce((a, b) => a * b, 1), rng) };
  }
  return feeds;
}

/** 2–4 calibration samples shaped like the first graph input without its batch dimension. */
export function buildCalibration(graph: Graph, rng: FuzzRandom): Dataset {
  const sampleShape = concreteShape(graph.inputs[0]?.shape).slice(1);
  const sampleSize = sampleShape.reduce((a, b) => a * b, 1);
  const count = rng.between(2, 4);
  const data = new Float32Array(count * sampleSize);
  for (let i = 0; i < data.length; i++) data[i] = rng.float() * 2 - 1;
  // A zero-sized sample cannot form a dataset: one value per sample instead (the model then refuses it).
  return arrayDataset(data.length > 0 ? data : new Float32Array(count), sampleSize > 0 ? sampleShape : [1]);
}
