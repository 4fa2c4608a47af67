/**
 * The plain reference of QGemm (qgemm.ts): each output element as its own sum
 * acc = C[i, j] + Σ_p (A'[i, p] − z_a)·(B'[p, j] − z_b[j]) in int32 arithmetic that wraps, then
 * the output stage of its column (eq. (18)) or the float boundary, docs/QUANTIZATION.md
 * eqs. (10), (13). Same signature as `qgemmImpl`, which must agree with it exactly.
 */
import { requantizeOne, type QuantizedOutput } from '../../../quant/output-stage.ts';
import type { GemmOperands, GemmOutput } from './qgemm.ts';

/** y (m × n) of the QGemm `op`, by plain loops. */
export function qgemmReference(op: GemmOperands, output: GemmOutput, y: QuantizedOutput | Float32Array): void {
  const { m, n, k, a, aZero, b, bZero, c } = op;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const zb = bZero.length > 1 ? bZero[j] : bZero[0];
      let acc = c === undefined ? 0 : c.data[(c.rows === 1 ? 0 : i) * c.cols + (c.cols === 1 ? 0 : j)];
      for (let p = 0; p < k; p++) {
        const av = a.data[a.offset + i * a.rowStride + p * a.colStride] - aZero;
        const bv = b.data[b.offset + p * b.rowStride + j * b.colStride] - zb;
        acc = (acc + Math.imul(av, bv)) | 0;
      }
      if ('stage' in output) y[i * n + j] = requantizeOne(output.stage, output.stage.multiplier.length > 1 ? j : 0, acc);
      else y[i * n + j] = Math.fround(acc) * output.scale[output.scale.length > 1 ? j : 0];
    }
  }
}
