import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sgemm } from '../../../../src/runtime/kernels/float/sgemm.ts';
import { gemmReference } from '../../../../src/runtime/kernels/float/gemm-reference.ts';
import { RangeArgumentError } from '../../../../src/errors.ts';
import { assertClose, randomArray, rng } from '../../helpers.ts';

/** C = alpha·op(A)·op(B) + beta·C straight from the definition, in float64. */
function naive(tA: boolean, tB: boolean, m: number, n: number, k: number, alpha: number, a: ArrayLike<number>, lda: number, b: ArrayLike<number>, ldb: number, beta: number, c: Float64Array, ldc: number): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        const av = tA ? a[p * lda + i] : a[i * lda + p];
        const bv = tB ? b[j * ldb + p] : b[p * ldb + j];
        s += av * bv;
      }
      c[i * ldc + j] = alpha * s + (beta === 0 ? 0 : beta * c[i * ldc + j]);
    }
  }
}

interface Case {
  m: number;
  n: number;
  k: number;
  tA: boolean;
  tB: boolean;
  alpha: number;
  beta: number;
  pad: number;
}

function runCase(c: Case, seed: number): void {
  const random = rng(seed);
  const [aRows, aCols] = c.tA ? [c.k, c.m] : [c.m, c.k];
  const [bRows, bCols] = c.tB ? [c.n, c.k] : [c.k, c.n];
  const lda = aCols + c.pad;
  const ldb = bCols + c.pad;
  const ldc = c.n + c.pad;
  const a = Float32Array.from(randomArray(aRows * lda, random));
  const b = Float32Array.from(randomArray(bRows * ldb, random));
  const c0 = Float32Array.from(randomArray(c.m * ldc, random));
  const expected = Float64Array.from(c0);
  naive(c.tA, c.tB, c.m, c.n, c.k, c.alpha, a, lda, b, ldb, c.beta, expected, ldc);
  const actual = Float32Array.from(c0);
  sgemm(c.tA, c.tB, c.m, c.n, c.k, c.alpha, a, lda, b, ldb, c.beta, actual, ldc);
  // float32 inputs, float64 accumulation, float32 results (partial sums rounded per K slice).
  const what = `sgemm ${JSON.stringify(c)}`;
  assertClose(actual, expected, what, 1e-5, 1e-5 * Math.sqrt(c.k + 1));
  // The padding columns of C (beyond n) must be untouched.
  for (let i = 0; i < c.m; i++) for (let j = c.n; j < ldc; j++) assert.equal(actual[i * ldc + j], c0[i * ldc + j], `${what}: C padding changed`);

  const reference = Float64Array.from(c0);
  gemmReference(c.tA, c.tB, c.m, c.n, c.k, c.alpha, Float64Array.from(a), lda, Float64Array.from(b), ldb, c.beta, reference, ldc);
  assertClose(reference, expected, `gemmReference ${JSON.stringify(c)}`, 1e-12, 1e-12);
}

test('sgemm matches the definition on odd shapes, both transposes, alpha/beta and leading dimensions', () => {
  const sizes = [1, 3, 17, 63];
  let seed = 1;
  for (const m of sizes) {
    for (const n of sizes) {
      for (const k of sizes) {
        const tA = seed % 2 === 0;
        const tB = seed % 3 === 0;
        runCase({ m, n, k, tA, tB, alpha: seed % 5 === 0 ? -0.5 : 1, beta: [0, 1, 0.25][seed % 3], pad: seed % 4 === 0 ? 3 : 0 }, seed);
        seed++;
      }
    }
  }
});

test('sgemm crosses its cache blocks (k > KC, m > MC) in every transpose combination', () => {
  let seed = 100;
  for (const tA of [false, true]) {
    for (const tB of [false, true]) runCase({ m: 101, n: 37, k: 300, tA, tB, alpha: 1.5, beta: 0.5, pad: 1 }, seed++);
  }
});

test('sgemm with beta = 0 ignores NaN in C; with k = 0 it only scales C', () => {
  const a = new Float32Array([1, 2, 3, 4]);
  const b = new Float32Array([5, 6, 7, 8]);
  const c = new Float32Array([NaN, NaN, NaN, NaN]);
  sgemm(false, false, 2, 2, 2, 1, a, 2, b, 2, 0, c, 2);
  assert.deepEqual([...c], [19, 22, 43, 50]);
  sgemm(false, false, 2, 2, 0, 1, a, 2, b, 2, 2, c, 2);
  assert.deepEqual([...c], [38, 44, 86, 100]);
});

test('sgemm rejects arrays too short for their shape and bad leading dimensions', () => {
  const x = new Float32Array(6);
  assert.throws(() => sgemm(false, false, 2, 3, 3, 1, x, 3, x, 3, 0, x, 3), RangeArgumentError);
  assert.throws(() => sgemm(false, false, 2, 2, 3, 1, x, 2, x, 2, 0, x, 2), /leading dimension of A is 2, needs at least 3/);
  assert.throws(() => sgemm(false, false, -1, 2, 3, 1, x, 3, x, 2, 0, x, 2), /m = -1/);
});
