import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gemmConfig } from '../../../../src/runtime/kernels/float/gemm.ts';
import { tensor } from '../../../../src/ir/tensor.ts';
import { ShapeError } from '../../../../src/errors.ts';
import { assertClose, makeNode, randomArray, randomInt, rng } from '../../helpers.ts';

/** Y[i][j] = alpha Σ_p A'[i][p] B'[p][j] + beta C[i or 0][j or 0], straight from the Gemm doc. */
function reference(a: Float64Array, b: Float64Array, c: Float64Array | undefined, cShape: number[], m: number, n: number, k: number, tA: boolean, tB: boolean, alpha: number, beta: number): Float64Array {
  const y = new Float64Array(m * n);
  const [cr, cc] = cShape.length === 2 ? cShape : cShape.length === 1 ? [1, cShape[0]] : [1, 1];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (tA ? a[p * m + i] : a[i * k + p]) * (tB ? b[j * k + p] : b[p * n + j]);
      y[i * n + j] = alpha * s + (c ? beta * c[(cr === 1 ? 0 : i) * cc + (cc === 1 ? 0 : j)] : 0);
    }
  }
  return y;
}

test('Gemm matches the definition: transposes, alpha, beta, every C broadcast form', () => {
  const random = rng(21);
  for (let i = 0; i < 60; i++) {
    const [m, n, k] = [randomInt(random, 1, 19), randomInt(random, 1, 19), randomInt(random, 1, 19)];
    const tA = random() < 0.5;
    const tB = random() < 0.5;
    const alpha = [1, 0.5, -2][i % 3];
    const beta = [1, 0, 0.25][i % 3];
    const cShape = ([[], [n], [1, n], [m, 1], [m, n], [1, 1], [1]] as number[][])[i % 8] ?? undefined;
    const a = Float64Array.from(Float32Array.from(randomArray(m * k, random)));
    const b = Float64Array.from(Float32Array.from(randomArray(k * n, random)));
    const c = cShape ? Float64Array.from(Float32Array.from(randomArray(cShape.reduce((p, q) => p * q, 1), random))) : undefined;
    const inputs = [tensor('float32', tA ? [k, m] : [m, k], Float32Array.from(a)), tensor('float32', tB ? [n, k] : [k, n], Float32Array.from(b))];
    if (c && cShape) inputs.push(tensor('float32', cShape, Float32Array.from(c)));
    const node = makeNode('Gemm', inputs.map((_, j) => `in${j}`), ['Y'], { transA: tA ? 1 : 0, transB: tB ? 1 : 0 }, { alpha, beta });
    const [y] = gemmConfig.impl(inputs, node);
    assert.deepEqual(y.shape, [m, n]);
    assertClose(y.data, reference(a, b, c, cShape ?? [], m, n, k, tA, tB, alpha, beta), `Gemm case ${i}`, 1e-5, 1e-5);
  }
});

test('Gemm on int32 and float64 computes exactly in float64', () => {
  const a = tensor('int32', [2, 3], Int32Array.from([1, 2, 3, 4, 5, 6]));
  const b = tensor('int32', [3, 2], Int32Array.from([7, 8, 9, 10, 11, 12]));
  const c = tensor('int32', [2], Int32Array.from([100, 200]));
  const [y] = gemmConfig.impl([a, b, c], makeNode('Gemm', ['A', 'B', 'C'], ['Y']));
  assert.equal(y.dtype, 'int32');
  assert.deepEqual([...y.data], [58 + 100, 64 + 200, 139 + 100, 154 + 200]);
  // 1 + 1e-9 exists in float64 but rounds to 1 in float32.
  const [z] = gemmConfig.impl([tensor('float64', [1, 2], Float64Array.from([1, 1])), tensor('float64', [2, 1], Float64Array.from([1, 1e-9]))], makeNode('Gemm', ['A', 'B'], ['Y']));
  assert.equal(z.dtype, 'float64');
  assert.equal(z.data[0], 1 + 1e-9);
});

test('Gemm on bfloat16 computes in float32 and rounds the result to bfloat16', () => {
  // Inputs are bf16 values; 1 + 2^-10 is not a bf16 value (8 significand bits) and rounds to 1.
  const a = tensor('bfloat16', [1, 2], Float32Array.from([1, 2 ** -5]));
  const b = tensor('bfloat16', [2, 1], Float32Array.from([1, 2 ** -5]));
  const [y] = gemmConfig.impl([a, b], makeNode('Gemm', ['A', 'B'], ['Y']));
  assert.equal(y.dtype, 'bfloat16');
  assert.equal(y.data[0], 1);
  const [z] = gemmConfig.impl([a, tensor('bfloat16', [2, 1], Float32Array.from([1, 2 ** 3]))], makeNode('Gemm', ['A', 'B'], ['Y']));
  assert.equal(z.data[0], 1.25);
});

test('Gemm errors name the node and the shapes', () => {
  const node = makeNode('Gemm', ['A', 'B', 'C'], ['Y']);
  const a = tensor('float32', [2, 3]);
  assert.throws(() => gemmConfig.impl([a, tensor('float32', [2, 2])], node), (e: unknown) => e instanceof ShapeError && /gemm_under_test/.test(e.message) && /inner dimensions/.test(e.message));
  assert.throws(() => gemmConfig.impl([a, tensor('float32', [3, 4]), tensor('float32', [3])], node), /C \[3\] does not broadcast to \[2, 4\]/);
  assert.throws(() => gemmConfig.impl([a, tensor('float64', [3, 4])], node), /input 1 is float64/);
  assert.throws(() => gemmConfig.impl([tensor('float32', [2, 3, 1]), tensor('float32', [3, 4])], node), /must be matrices/);
});
