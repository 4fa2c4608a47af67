/**
 * The plain reference of igemm.ts: the centred product of eq. (10) (docs/QUANTIZATION.md) as a
 * triple loop, each operand minus its zero point before the multiply, in int32 arithmetic that
 * wraps (Math.imul, `| 0`). Same signature as `igemm`, which must agree with it exactly; slow,
 * kept for checking and for readers.
 */
import type { MatrixView } from './igemm.ts';

/** c[cOffset + i·ldc + j] = Σ_p (A[i, p] − aZero[i])·(B[p, j] − bZero[j]), per tensor or per row / column zero points. eq. (10) */
export function igemmReference(m: number, n: number, k: number, a: MatrixView, aZero: ArrayLike<number>, b: MatrixView, bZero: ArrayLike<number>, c: Int32Array, cOffset = 0, ldc = n): void {
  for (let i = 0; i < m; i++) {
    const za = aZero.length > 1 ? aZero[i] : aZero[0];
    for (let j = 0; j < n; j++) {
      const zb = bZero.length > 1 ? bZero[j] : bZero[0];
      let sum = 0;
      for (let p = 0; p < k; p++) {
        const x = a.data[a.offset + i * a.rowStride + p * a.colStride] - za;
        const y = b.data[b.offset + p * b.rowStride + j * b.colStride] - zb;
        sum = (sum + Math.imul(x, y)) | 0;
      }
      c[cOffset + i * ldc + j] = sum;
    }
  }
}
