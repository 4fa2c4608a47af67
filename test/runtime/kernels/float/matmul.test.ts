import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matmulConfig } from '../../../../src/runtime/kernels/float/matmul.ts';
import { tensor } from '../../../../src/ir/tensor.ts';
import { ShapeError } from '../../../../src/errors.ts';
import { assertClose, makeNode, randomArray, randomInt, rng } from '../../helpers.ts';

/** numpy.matmul by its rules: promote 1-D, broadcast batch axes, drop the promoted axes. */
function reference(a: Float64Array, aShape: number[], b: Float64Array, bShape: number[]): { shape: number[]; data: number[] } {
  const A = aShape.length === 1 ? [1, aShape[0]] : aShape;
  const B = bShape.length === 1 ? [bShape[0], 1] : bShape;
  const [m, k] = A.slice(-2);
  const n = B[B.length - 1];
  const ab = A.slice(0, -2);
  const bb = B.slice(0, -2);
  const rank = Math.max(ab.length, bb.length);
  const pa = [...new Array(rank - ab.length).fill(1), ...ab];
  const pb = [...new Array(rank - bb.length).fill(1), ...bb];
  const batch = pa.map((d, i) => Math.max(d, pb[i]));
  const count = batch.reduce((p, q) => p * q, 1);
  const data: number[] = [];
  for (let t = 0; t < count; t++) {
    // Coordinates of batch t, then the matching (possibly stretched) matrix of each operand.
    const coords: number[] = [];
    for (let i = rank - 1, r = t; i >= 0; i--) {
      coords[i] = r % batch[i];
      r = Math.floor(r / batch[i]);
    }
    let ia = 0;
    let ib = 0;
    for (let i = 0; i < rank; i++) {
      ia = ia * pa[i] + (pa[i] === 1 ? 0 : coords[i]);
      ib = ib * pb[i] + (pb[i] === 1 ? 0 : coords[i]);
    }
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[ia * m * k + i * k + p] * b[ib * k * n + p * n + j];
        data.push(s);
      }
    }
  }
  const shape = [...batch, ...(aShape.length === 1 ? [] : [m]), ...(bShape.length === 1 ? [] : [n])];
  return { shape, data };
}

function check(aShape: number[], bShape: number[], seed: number, dtype: 'float32' | 'float64' = 'float32'): void {
  const random = rng(seed);
  const a = Float64Array.from(Float32Array.from(randomArray(aShape.reduce((p, q) => p * q, 1), random)));
  const b = Float64Array.from(Float32Array.from(randomArray(bShape.reduce((p, q) => p * q, 1), random)));
  const make = (shape: number[], v: Float64Array) => tensor(dtype, shape, dtype === 'float32' ? Float32Array.from(v) : Float64Array.from(v));
  const [y] = matmulConfig.impl([make(aShape, a), make(bShape, b)], makeNode('MatMul', ['A', 'B'], ['Y']));
  const expected = reference(a, aShape, b, bShape);
  const what = `MatMul ${JSON.stringify(aShape)} × ${JSON.stringify(bShape)}`;
  assert.deepEqual(y.shape, expected.shape, `${what}: shape`);
  assertClose(y.data, expected.data, what, dtype === 'float32' ? 1e-5 : 1e-12, dtype === 'float32' ? 1e-5 : 1e-12);
}

test('MatMul: 1-D operands, 2-D, batched, shared weights and broadcast batch axes', () => {
  check([5], [5], 1);
  check([5], [5, 3], 2);
  check([4, 5], [5], 3);
  check([2, 3, 5], [5], 4);
  check([7], [2, 7, 3], 5);
  check([17, 9], [9, 13], 6);
  check([2, 3, 4, 6], [6, 5], 7);
  check([2, 1, 4, 6], [3, 6, 5], 8);
  check([1, 4, 6], [2, 3, 6, 5], 9);
  check([3, 4, 6], [3, 6, 5], 10);
  check([2, 3, 4], [2, 4, 3], 11, 'float64');
});

test('MatMul on seeded random broadcast shapes', () => {
  const random = rng(42);
  for (let i = 0; i < 40; i++) {
    const [m, k, n] = [randomInt(random, 1, 9), randomInt(random, 1, 9), randomInt(random, 1, 9)];
    const rank = randomInt(random, 0, 2);
    const batchA = Array.from({ length: rank }, () => randomInt(random, 1, 3));
    const batchB = batchA.map((d) => (random() < 0.3 ? 1 : d)).slice(randomInt(random, 0, rank));
    check([...batchA.map((d) => (random() < 0.3 ? 1 : d)), m, k], [...batchB, k, n], 100 + i);
  }
});

test('MatMul errors name the node', () => {
  const node = makeNode('MatMul', ['A', 'B'], ['Y']);
  assert.throws(() => matmulConfig.impl([tensor('float32', [2, 3]), tensor('float32', [4, 2])], node), (e: unknown) => e instanceof ShapeError && /matmul_under_test/.test(e.message));
  assert.throws(() => matmulConfig.impl([tensor('float32', [2, 2, 3]), tensor('float32', [3, 3, 2])], node), /cannot be broadcast/);
  assert.throws(() => matmulConfig.impl([tensor('float32', []), tensor('float32', [3])], node), /rank ≥ 1/);
});
