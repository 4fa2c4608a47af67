/**
 * The GEMM the kernels call: the blocked `sgemm` when every operand is float32 storage, the
 * float64 reference loop otherwise (float64 tensors, integer MatMul/Gemm).
 */
import type { TensorData } from '../../../ir/dtype.ts';
import { gemmReference } from './gemm-reference.ts';
import { sgemm } from './sgemm.ts';

/** C = alpha·op(A)·op(B) + beta·C on row-major arrays with leading dimensions (see sgemm). */
export function gemm(
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
  if (a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array) {
    sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  } else {
    gemmReference(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  }
}
