/**
 * Helpers of the quantization-kernel tests: running one kernel of `quantKernels`, one-node models
 * for onnxruntime-node, and independent closed forms of the roundings involved (written
 * differently from src/: by floor and comparison, by exponent and unit in the last place).
 */
import assert from 'node:assert/strict';
import { QuantkitError } from '../../../../src/errors.ts';
import { DTYPES, type DType } from '../../../../src/ir/dtype.ts';
import type { Attribute, Node } from '../../../../src/ir/graph.ts';
import { GraphBuilder } from '../../../../src/ir/builder.ts';
import type { Tensor } from '../../../../src/ir/tensor.ts';
import { exportModel } from '../../../../src/onnx/export.ts';
import { quantKernels } from '../../../../src/runtime/kernels/simulated/register.ts';
import { runOrt } from '../../../onnx/helpers/ort.ts';

export const NODE_NAME = 'node_under_test';

/** A node of `opType` named NODE_NAME. */
export function node(opType: string, attributes: Record<string, Attribute> = {}, outputs = 1): Node {
  return { name: NODE_NAME, opType, domain: '', inputs: [], outputs: Array.from({ length: outputs }, (_, i) => `y${i}`), attributes };
}

/** Runs the quantization kernel of `opType` on `inputs`. */
export function run(opType: string, inputs: readonly (Tensor | undefined)[], attributes: Record<string, Attribute> = {}, outputs = 1): Tensor[] {
  const config = quantKernels.find((c) => c.op === opType);
  assert.ok(config, `no quantization kernel for ${opType}`);
  return config.impl(inputs, node(opType, attributes, outputs));
}

/** Asserts that `compute` throws an error of class `type` whose message names the node (`nodeName`) and matches `pattern`. */
export function assertNodeError(compute: () => unknown, type: new (...args: never[]) => QuantkitError, pattern: RegExp, nodeName = NODE_NAME): void {
  assert.throws(compute, (error: unknown) => {
    assert.ok(error instanceof type, `expected ${type.name}, got ${String(error)}`);
    assert.match(error.message, new RegExp(nodeName));
    assert.match(error.message, pattern);
    return true;
  });
}

/** Nearest integer, ties to the even one: by floor and the distance to it. */
export function rint(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

export function clampTo(dtype: DType, v: number): number {
  return Math.min(Math.max(v, DTYPES[dtype].min as number), DTYPES[dtype].max as number);
}

/**
 * Rounding to a binary format with `significand` bits (the leading one included), smallest
 * normal exponent `minExponent` and largest finite value `max`: ties to even at the value's
 * binade (at least the subnormal binade); beyond `max` after rounding, ±Infinity.
 */
function toBinary(v: number, significand: number, minExponent: number, max: number): number {
  if (!Number.isFinite(v) || v === 0) return v;
  let exponent = Math.max(Math.floor(Math.log2(Math.abs(v))), minExponent);
  // log2 may be off by one near powers of two: settle the binade so that 2^exponent ≤ |v| < 2^(exponent+1).
  if (Math.abs(v) >= 2 ** (exponent + 1)) exponent++;
  else if (exponent > minExponent && Math.abs(v) < 2 ** exponent) exponent--;
  const ulp = 2 ** (exponent - significand + 1);
  const r = rint(v / ulp) * ulp;
  return Math.abs(r) > max ? Math.sign(r) * Infinity : r;
}

/** IEEE binary16: 11 significant bits, normals from 2^−14, max 65504. */
export function toFloat16(v: number): number {
  return toBinary(v, 11, -14, 65504);
}

/** bfloat16: 8 significant bits, normals from 2^−126, max (2 − 2^−7)·2^127. */
export function toBfloat16(v: number): number {
  return toBinary(v, 8, -126, (2 - 2 ** -7) * 2 ** 127);
}

export { ravel, unravel } from '../float/kernel-test-utils.ts';

/** One graph input per non-constant tensor: builds a one-node model, runs it in onnxruntime-node. */
export async function runInOrt(
  opType: string,
  inputs: readonly (Tensor | undefined)[],
  attributes: Record<string, number | readonly number[] | string>,
  outputTypes: readonly DType[],
  feedIndices: readonly number[] = [0],
): Promise<{ dims: readonly number[]; data: number[] }[]> {
  const b = new GraphBuilder('quant_test');
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
  const outputs = b.addNode(opType, names, attributes, { outputs: outputTypes.length });
  outputs.forEach((name, i) => b.addOutput(name, outputTypes[i]));
  const result = await runOrt(exportModel(b.buildModel({ opset: 21 })), feeds);
  return outputs.map((name) => result[name]);
}
