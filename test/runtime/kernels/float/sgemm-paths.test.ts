import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blockedGemm, sgemm, thinGemm } from '../../../../src/runtime/kernels/float/sgemm.ts';
import { gemmReference } from '../../../../src/runtime/kernels/float/gemm-reference.ts';
import { assertClose, randomArray, randomInt, rng } from '../../helpers.ts';

type Path = typeof thinGemm;

/**
 * One path of sgemm (C += alpha·op(A)·op(B)) against gemmReference (plain float64 loops) with
 * beta = 1, on matrices with padded leading dimensions; the padding of C must stay untouched.
 */
function check(path: Path, name: string, m: number, n: number, k: number, transA: boolean, transB: boolean, alpha: number, seed: number): void {
  const random = rng(seed);
  const pad = randomInt(random, 0, 3);
  const [aRows, aCols] = transA ? [k, m] : [m, k];
  const [bRows, bCols] = transB ? [n, k] : [k, n];
  const lda = aCols + pad;
  const ldb = bCols + pad;
  const ldc = n + pad;
  const a = Float32Array.from(randomArray(Math.max(1, aRows * lda), random));
  const b = Float32Array.from(randomArray(Math.max(1, bRows * ldb), random));
  const c0 = Float32Array.from(randomArray(Math.max(1, m * ldc), random));
  const expected = Float64Array.from(c0);
  gemmReference(transA, transB, m, n, k, alpha, Float64Array.from(a), lda, Float64Array.from(b), ldb, 1, expected, ldc);
  const actual = Float32Array.from(c0);
  path(transA, transB, m, n, k, alpha, a, lda, b, ldb, actual, ldc);
  const what = `${name} ${JSON.stringify({ m, n, k, transA, transB, alpha, pad })}`;
  assertClose(actual, expected, what, 1e-5, 1e-5 * Math.sqrt(k + 1));
  for (let i = 0; i < m; i++) for (let j = n; j < ldc; j++) assert.equal(actual[i * ldc + j], c0[i * ldc + j], `${what}: C padding changed`);
}

test('thinGemm and blockedGemm each match gemmReference on 200 random odd shapes and every transpose', () => {
  const random = rng(31337);
  for (let i = 0; i < 200; i++) {
    const m = randomInt(random, 1, i % 2 === 0 ? 3 : 23);
    const n = randomInt(random, 1, 23);
    const k = randomInt(random, 0, i % 10 === 0 ? 300 : 40);
    const transA = random() < 0.5;
    const transB = random() < 0.5;
    const alpha = [1, -0.5, 2.25][i % 3];
    check(thinGemm, 'thinGemm', m, n, k, transA, transB, alpha, 10 + i);
    check(blockedGemm, 'blockedGemm', m, n, k, transA, transB, alpha, 10 + i);
  }
});

test('sgemm takes the thin path for fewer than 4 rows: mnist-8 MatMul 1×256 · 256×10', () => {
  check(thinGemm, 'thinGemm', 1, 10, 256, false, false, 1, 1);
  const random = rng(2);
  const a = Float32Array.from(randomArray(256, random));
  const b = Float32Array.from(randomArray(2560, random));
  const viaSgemm = new Float32Array(10).fill(NaN);
  sgemm(false, false, 1, 10, 256, 1, a, 256, b, 10, 0, viaSgemm, 10);
  const viaThin = new Float32Array(10);
  thinGemm(false, false, 1, 10, 256, 1, a, 256, b, 10, viaThin, 10);
  // Same path, same arithmetic: identical bits (and beta = 0 dropped the NaN in C).
  assert.deepEqual(Array.from(viaSgemm), Array.from(viaThin));
});
