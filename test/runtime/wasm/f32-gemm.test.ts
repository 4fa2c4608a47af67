// sgemm's wasm path (f32x4, src/runtime/wasm/f32-gemm.ts) against the float64 reference: float32
// sums in k order cannot equal sgemm's float64 sums bit for bit, so the test states the bound —
// |C − exact| ≤ γ_(k+2)·(|alpha|·Σ_p |a_ip·b_pj| + |beta·c_ij|) (Higham, Thm 3.1: k − 1 additions,
// the product roundings, alpha, beta and the final addition) — on random shapes, both transposes,
// alpha and beta; and exact equality where every partial sum is an exact float32 (small integers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gemmReference } from '../../../src/runtime/kernels/float/gemm-reference.ts';
import { sgemm, WASM_MIN_WORK } from '../../../src/runtime/kernels/float/sgemm.ts';
import { wasmKernels } from '../../../src/runtime/wasm/index.ts';
import { wasmSgemm } from '../../../src/runtime/wasm/f32-gemm.ts';
import { gamma, ODD_SIZES, Random } from './helpers.ts';

const backend = wasmKernels();

test('fp32 GEMM in wasm stays within the float32 summation bound: random shapes, transposes, alpha, beta, leading dimensions', () => {
  assert.ok(backend !== undefined);
  const random = new Random(21);
  for (let i = 0; i < 50; i++) {
    const size = (): number => (random.uniform() < 0.5 ? random.pick(ODD_SIZES) : random.int(1, 70));
    const [m, n, k] = i % 10 === 0 ? [size(), size(), 255] : [size(), size(), size()];
    const transA = random.uniform() < 0.3;
    const transB = random.uniform() < 0.3;
    const lda = (transA ? m : k) + random.int(0, 2);
    const ldb = (transB ? k : n) + random.int(0, 2);
    const ldc = n + random.int(0, 2);
    const alpha = random.pick([1, 1, -0.5, 2.25]);
    const beta = random.pick([0, 0, 1, 0.75]);
    const a = Float32Array.from({ length: (transA ? k : m) * lda }, () => random.uniform() * 2 - 1);
    const b = Float32Array.from({ length: (transB ? n : k) * ldb }, () => random.uniform() * 2 - 1);
    const c0 = Float32Array.from({ length: m * ldc }, () => random.uniform() * 2 - 1);
    const exact = Float64Array.from(c0);
    gemmReference(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, exact, ldc);
    const magnitude = Float64Array.from(c0, (v) => Math.abs(beta * v));
    gemmReference(transA, transB, m, n, k, Math.abs(alpha), a.map(Math.abs), lda, b.map(Math.abs), ldb, 1, magnitude, ldc);
    const got = Float32Array.from(c0);
    wasmSgemm(backend!, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, got, ldc);
    const bound = gamma(k + 2);
    for (let r = 0; r < m; r++) {
      for (let j = 0; j < ldc; j++) {
        const at = r * ldc + j;
        if (j >= n) {
          assert.equal(got[at], c0[at], `case ${i}: C outside the n columns is untouched`);
          continue;
        }
        const error = Math.abs(got[at] - exact[at]);
        assert.ok(error <= bound * magnitude[at] + 2 ** -24 * Math.abs(exact[at]), `case ${i} (${m}×${n}×${k}, ${transA}/${transB}, alpha ${alpha}, beta ${beta}) C[${r},${j}]: error ${error} > ${bound * magnitude[at]}`);
      }
    }
  }
});

test('fp32 GEMM in wasm is exact where every partial sum is representable (small integers), and sgemm takes it from WASM_MIN_WORK on', () => {
  const random = new Random(22);
  const [m, n, k] = [33, 47, 63];
  assert.ok(m * n * k >= WASM_MIN_WORK);
  const a = Float32Array.from({ length: m * k }, () => random.int(-8, 8));
  const b = Float32Array.from({ length: k * n }, () => random.int(-8, 8));
  const want = new Float64Array(m * n);
  gemmReference(false, false, m, n, k, 1, a, k, b, n, 0, want, n);
  const got = new Float32Array(m * n).fill(NaN);
  sgemm(false, false, m, n, k, 1, a, k, b, n, 0, got, n);
  assert.deepEqual(Array.from(got), Array.from(want));
});
