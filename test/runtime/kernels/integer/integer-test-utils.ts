/**
 * Helpers of the integer-kernel tests: running one kernel of integerKernels() on a node named
 * NODE_NAME, independent closed forms of the roundings (BigInt and floor-based), the comparison
 * with float64 math (within 1 LSB, equal except near ties) and with onnxruntime-node (one-node
 * models with their domain's opset).
 */
import assert from 'node:assert/strict';
import { QuantkitError } from '../../../../src/errors.ts';
import { GraphBuilder } from '../../../../src/ir/builder.ts';
import type { DType } from '../../../../src/ir/dtype.ts';
import type { Attribute, Node } from '../../../../src/ir/graph.ts';
import type { Tensor } from '../../../../src/ir/tensor.ts';
import { exportModel } from '../../../../src/onnx/export.ts';
import { integerKernels } from '../../../../src/runtime/kernels/integer/register.ts';
import { runOrt } from '../../../onnx/helpers/ort.ts';
import { assertNodeError as assertNamedError, rint } from '../quant/quant-test-utils.ts';

export const NODE_NAME = 'integer_node_under_test';
const registry = integerKernels();

/** A node of `opType` in `domain` named NODE_NAME. */
export function integerNode(opType: string, domain = '', attributes: Record<string, Attribute> = {}): Node {
  return { name: NODE_NAME, opType, domain, inputs: [], outputs: ['y'], attributes };
}

/** Runs the integer kernel of `opType` on `inputs` (one output). */
export function runInteger(opType: string, inputs: readonly (Tensor | undefined)[], attributes: Record<string, Attribute> = {}, domain = ''): Tensor {
  return runNode(integerNode(opType, domain, attributes), inputs);
}

/** Runs the integer kernel of `node` on `inputs` (one output). */
export function runNode(node: Node, inputs: readonly (Tensor | undefined)[]): Tensor {
  const config = registry.get(node.opType, node.domain);
  assert.ok(config, `no integer kernel for ${node.domain}::${node.opType}`);
  return config.impl(inputs, node)[0];
}

/** Asserts that `compute` throws a `type` error whose message names the node and matches `pattern`. */
export function assertNodeError(compute: () => unknown, type: new (...args: never[]) => QuantkitError, pattern: RegExp): void {
  assertNamedError(compute, type, pattern, NODE_NAME);
}

export { rint };

export function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/** Distance of v from the nearest rounding tie k + ½. */
export function tieDistance(v: number): number {
  return Math.abs(v - Math.floor(v) - 0.5);
}

export interface ExactComparison {
  readonly total: number;
  /** Elements differing from the rounded exact value (all within TIE of a tie). */
  readonly differing: number;
  /** Elements whose exact value lies within TIE of a rounding tie (rounded either way). */
  readonly nearTies: number;
}

/** How close to a tie an exact value may be for the fixed-point result to round it either way. */
export const TIE = 1e-6;

/**
 * Compares integer outputs with exact real values v (already in output units, zero point
 * included): every output within 1 of clamp(rint(v)), and equal to it unless v is within TIE of
 * a tie. Returns the counts.
 */
export function compareWithExact(actual: ArrayLike<number>, exact: ArrayLike<number>, qmin: number, qmax: number, what: string): ExactComparison {
  assert.equal(actual.length, exact.length, `${what}: length`);
  let differing = 0;
  let nearTies = 0;
  for (let i = 0; i < exact.length; i++) {
    const expected = clamp(rint(exact[i]), qmin, qmax);
    const nearTie = tieDistance(exact[i]) < TIE && exact[i] > qmin - 1 && exact[i] < qmax + 1;
    if (nearTie) nearTies++;
    if (actual[i] === expected) continue;
    differing++;
    assert.ok(Math.abs(actual[i] - expected) <= 1, `${what}: element ${i} is ${actual[i]}, exact ${exact[i]} rounds to ${expected}`);
    assert.ok(nearTie, `${what}: element ${i} is ${actual[i]} but the exact ${exact[i]} (not near a tie) rounds to ${expected}`);
  }
  return { total: exact.length, differing, nearTies };
}

export interface OrtComparison {
  readonly total: number;
  readonly identical: number;
  readonly maxDifference: number;
}

/**
 * Runs one `opType` node of `domain` in onnxruntime-node: tensors at `feedIndices` are graph
 * inputs, the others initializers, undefined entries omitted optional inputs.
 */
export async function runInOrt(opType: string, domain: string, inputs: readonly (Tensor | undefined)[], attributes: Record<string, number | readonly number[] | string>, outputType: DType, feedIndices: readonly number[] = [0]): Promise<{ dims: readonly number[]; data: number[] }> {
  const b = new GraphBuilder('integer_test');
  const feeds: Record<string, Tensor> = {};
  const names = inputs.map((t, i) => {
    if (t === undefined) return '';
    const name = `in${i}`;
    if (feedIndices.includes(i)) {
      b.addInput(name, t.dtype, t.shape);
      feeds[name] = t;
    } else {
      b.addInitializer(name, t);
    }
    return name;
  });
  const [output] = b.addNode(opType, names, attributes, { domain });
  b.addOutput(output, outputType);
  const opsets = domain === '' ? {} : { [domain]: 1 };
  const result = await runOrt(exportModel(b.buildModel({ opset: 21, opsets })), feeds);
  return result[output];
}

/** Asserts every element within 1 of onnxruntime's and at least 99% identical; returns the counts. */
export function compareWithOrt(actual: Tensor, ort: { dims: readonly number[]; data: number[] }, what: string): OrtComparison {
  assert.deepEqual([...actual.shape], [...ort.dims], `${what}: shape`);
  let identical = 0;
  let maxDifference = 0;
  for (let i = 0; i < ort.data.length; i++) {
    const d = Math.abs(actual.data[i] - ort.data[i]);
    if (d === 0) identical++;
    maxDifference = Math.max(maxDifference, d);
  }
  assert.ok(maxDifference <= 1, `${what}: an element differs from onnxruntime by ${maxDifference}`);
  return { total: ort.data.length, identical, maxDifference };
}

/** Asserts the accumulated onnxruntime counts: ≥ 99% identical. */
export function assertMostlyIdentical(counts: readonly OrtComparison[], what: string): { total: number; identical: number } {
  const total = counts.reduce((s, c) => s + c.total, 0);
  const identical = counts.reduce((s, c) => s + c.identical, 0);
  assert.ok(total > 0, `${what}: nothing compared`);
  assert.ok(identical >= 0.99 * total, `${what}: only ${identical} of ${total} elements equal onnxruntime's`);
  return { total, identical };
}
