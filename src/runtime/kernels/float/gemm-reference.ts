/**
 * Reference GEMM: C = alpha·op(A)·op(B) + beta·C with plain loops and a float64 accumulator per
 * element. The blocked `sgemm` must agree with it; float64 tensors and integer MatMul/Gemm use
 * it directly (exact while the accumulator stays below 2^53).
 */
import type { TensorData } from '../../../ir/dtype.ts';
import { checkGemmArguments } from './sgemm.ts';

/**
 * Same contract as `sgemm` (row-major, leading dimensions, beta = 0 ignores C) for any typed
 * array; results are stored with the array's own conversion (rounding or integer wrap-around).
 */
export function gemmReference(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: TensorData,
  lda: number,
  b: TensorData,
  ldb: number,
  beta: number,
  c: TensorData,
  ldc: number,
): void {
  checkGemmArguments(transA, transB, m, n, k, a.length, lda, b.length, ldb, c.length, ldc);
  const aStrideI = transA ? 1 : lda;
  const aStrideP = transA ? lda : 1;
  const bStrideP = transB ? 1 : ldb;
  const bStrideJ = transB ? ldb : 1;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += a[i * aStrideI + p * aStrideP] * b[p * bStrideP + j * bStrideJ];
      const prior = beta === 0 ? 0 : beta * c[i * ldc + j];
      c[i * ldc + j] = alpha * sum + prior;
    }
  }
}
