/**
 * Shared helpers of the tensor-kernel tests: building nodes, running a kernel through its config,
 * seeded random tensors, and plain multi-index arithmetic for reference loops (deliberately the
 * slow, obvious way: one index vector per element).
 */
import assert from 'node:assert/strict';
import type { DType } from '../../../../src/ir/dtype.ts';
import type { Attribute, Node } from '../../../../src/ir/graph.ts';
import { tensor, type Tensor } from '../../../../src/ir/tensor.ts';
import { seededRandom } from '../../../../src/numeric/rounding.ts';
import type { KernelConfig } from '../../../../src/runtime/kernel.ts';

/** A node named `name` of `opType` with the given attributes (inputs/outputs named by count). */
export function makeNode(opType: string, attributes: Record<string, Attribute> = {}, outputs = 1, name = `test_${opType}`): Node {
  return {
    name,
    opType,
    domain: '',
    inputs: [],
    outputs: Array.from({ length: outputs }, (_, i) => `out${i}`),
    attributes,
  };
}

export const int = (value: number): Attribute => ({ type: 'int', value });
export const float = (value: number): Attribute => ({ type: 'float', value });
export const ints = (value: readonly number[]): Attribute => ({ type: 'ints', value });
export const str = (value: string): Attribute => ({ type: 'string', value });

/** Runs the kernel of `op` from `configs` on `inputs`. */
export function runKernel(
  configs: readonly KernelConfig[],
  op: string,
  inputs: readonly (Tensor | undefined)[],
  attributes: Record<string, Attribute> = {},
  outputs = 1,
): Tensor[] {
  const config = configs.find((c) => c.op === op);
  assert.ok(config, `no kernel for ${op}`);
  return config.impl(inputs, makeNode(op, attributes, outputs));
}

/** An int64 1-D tensor. */
export function i64(values: readonly number[]): Tensor {
  return tensor('int64', [values.length], Float64Array.from(values));
}

/** A tensor of `dtype` from numbers (stored through the dtype's typed array). */
export function make(dtype: DType, shape: readonly number[], values: ArrayLike<number>): Tensor {
  const t = tensor(dtype, shape);
  for (let i = 0; i < values.length; i++) t.data[i] = values[i];
  return t;
}

export function size(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

/** The multi-index of flat position `flat` in `shape` (row-major). */
export function unravel(flat: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let a = shape.length - 1; a >= 0; a--) {
    index[a] = flat % shape[a];
    flat = Math.floor(flat / shape[a]);
  }
  return index;
}

/** The flat position of a multi-index in `shape` (row-major). */
export function ravel(index: readonly number[], shape: readonly number[]): number {
  let flat = 0;
  for (let a = 0; a < shape.length; a++) flat = flat * shape[a] + index[a];
  return flat;
}

/** A seeded source of random shapes and values. */
export class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = seededRandom(seed);
  }
  /** Uniform in [0, 1). */
  uniform(): number {
    return this.next();
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  /** One of `values`, uniformly. */
  pick<T>(values: readonly T[]): T {
    return values[this.int(0, values.length - 1)];
  }
  /** A shape of the given rank with dims in [lo, hi]. */
  shape(rank: number, lo = 0, hi = 4): number[] {
    return Array.from({ length: rank }, () => this.int(lo, hi));
  }
  /** A float32 tensor with values in [−scale, scale). */
  floats(shape: readonly number[], scale = 4): Tensor {
    return tensor('float32', shape, Float32Array.from({ length: size(shape) }, () => (this.next() * 2 - 1) * scale));
  }
  /** A random permutation of 0 … n−1. */
  permutation(n: number): number[] {
    const p = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(0, i);
      [p[i], p[j]] = [p[j], p[i]];
    }
    return p;
  }
}

/** Asserts equal shape and elementwise closeness (|a − b| ≤ atol + rtol·|b|; NaN matches NaN). */
export function assertClose(actual: Tensor, expected: { shape: readonly number[]; data: ArrayLike<number> }, rtol = 1e-6, atol = 1e-6, what = ''): void {
  assert.deepEqual([...actual.shape], [...expected.shape], `${what} shape`);
  assert.equal(actual.data.length, expected.data.length, `${what} length`);
  for (let i = 0; i < expected.data.length; i++) {
    const a = actual.data[i];
    const b = expected.data[i];
    if (Number.isNaN(b)) {
      assert.ok(Number.isNaN(a), `${what} [${i}]: expected NaN, got ${a}`);
      continue;
    }
    if (a === b) continue;
    assert.ok(Math.abs(a - b) <= atol + rtol * Math.abs(b), `${what} [${i}]: ${a} vs expected ${b}`);
  }
}

/** Asserts exact equality of shape, dtype and elements. */
export function assertTensor(actual: Tensor, dtype: DType, shape: readonly number[], values: readonly number[], what = ''): void {
  assert.equal(actual.dtype, dtype, `${what} dtype`);
  assert.deepEqual([...actual.shape], [...shape], `${what} shape`);
  assert.deepEqual(Array.from(actual.data), values, `${what} values`);
}
