// Shared helpers of the pass tests: seeded tensors, running a graph in the float executor or in
// onnxruntime-node, and comparing outputs relative to their magnitude.
import assert from 'node:assert/strict';
import type { Graph, Model } from '../../../src/ir/graph.ts';
import { float32, type Tensor } from '../../../src/ir/tensor.ts';
import { seededRandom } from '../../../src/numeric/rounding.ts';
import { exportModel } from '../../../src/onnx/export.ts';
import { createExecutor } from '../../../src/runtime/executor.ts';
import { floatKernels } from '../../../src/runtime/kernels/float/register.ts';
import { runOrt } from '../../onnx/helpers/ort.ts';

export type Random = () => number;

export function rng(seed: number): Random {
  return seededRandom(seed);
}

/** A float32 tensor of uniform values in [lo, hi). */
export function randomTensor(random: Random, shape: readonly number[], lo = -1, hi = 1): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return float32(shape, Array.from({ length: size }, () => lo + (hi - lo) * random()));
}

/** Random feeds for every graph input (shapes must be fully numeric). */
export function randomFeeds(graph: Graph, random: Random): Record<string, Tensor> {
  const feeds: Record<string, Tensor> = {};
  for (const input of graph.inputs) {
    assert.ok(input.shape?.every((d) => typeof d === 'number'), `input ${input.name} needs a numeric shape`);
    feeds[input.name] = randomTensor(random, input.shape as number[]);
  }
  return feeds;
}

/** The graph outputs computed by the float executor. */
export function runFloat(model: Model, feeds: Record<string, Tensor>): Record<string, Tensor> {
  return createExecutor(model, floatKernels()).runSync(feeds);
}

/** `graph` in `model`'s place (same opsets). */
export function withGraph(model: Model, graph: Graph): Model {
  return { ...model, graph };
}

/** |a − e| ≤ rtol · max|e| elementwise: relative to the output's magnitude (sums can cross zero). */
export function assertRelClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, rtol = 1e-5): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  assert.ok(scale > 0, `${what}: the expected output is all zero; the test would prove little`);
  for (let i = 0; i < expected.length; i++) {
    const error = Math.abs(actual[i] - expected[i]);
    if (!(error <= rtol * scale)) assert.fail(`${what}: element ${i} is ${actual[i]}, expected ${expected[i]} (max |expected| ${scale})`);
  }
}

/** Runs `before` and `after` in the float executor on seeded random feeds; their outputs must agree. */
export function assertSameFloat(before: Model, after: Model, seed: number, rtol = 1e-5): void {
  const feeds = randomFeeds(before.graph, rng(seed));
  const a = runFloat(before, feeds);
  const b = runFloat(after, feeds);
  for (const output of before.graph.outputs) {
    assert.deepEqual(b[output.name].shape, a[output.name].shape, `${output.name}: shape`);
    assertRelClose(b[output.name].data, a[output.name].data, output.name, rtol);
  }
}

/** Exports both models, runs them in onnxruntime-node on seeded random feeds; outputs must agree. */
export async function assertSameOrt(before: Model, after: Model, seed: number, rtol = 1e-5): Promise<void> {
  const feeds = randomFeeds(before.graph, rng(seed));
  const [a, b] = await Promise.all([runOrt(exportModel(before, { inferShapes: true }), feeds), runOrt(exportModel(after, { inferShapes: true }), feeds)]);
  for (const output of before.graph.outputs) {
    assert.deepEqual(b[output.name].dims, a[output.name].dims, `${output.name}: shape`);
    assertRelClose(b[output.name].data, a[output.name].data, `${output.name} (onnxruntime)`, rtol);
  }
}

/** Op types of the graph's nodes, in order. */
export function opTypes(graph: Graph): string[] {
  return graph.nodes.map((n) => n.opType);
}

/** A deep copy to compare against after a pass (passes must not mutate their input). */
export function snapshot(graph: Graph): Graph {
  return structuredClone(graph);
}
