/**
 * The plain reference of QLinearMatMul (qlinear-matmul.ts): each output element as its own sum
 * y[batch, i, j] = stage_j(Σ_p (a[batch, i, p] − z_a)·(b[batch, p, j] − z_b[j])), batch axes
 * broadcast by reading index 0 along a stretched axis, int32 arithmetic that wraps,
 * docs/QUANTIZATION.md eqs. (10), (18). Same signature as `qlinearMatMulImpl`, which must agree
 * with it exactly; slow, kept for checking and for readers.
 */
import { shapeSize } from '../../../ir/tensor.ts';
import type { MatMulOperands } from './qlinear-matmul.ts';
import { requantizeOne, type QuantizedOutput } from '../../../quant/output-stage.ts';

/** y (row-major plan.outShape) of the quantized product `op`, by plain loops. */
export function qlinearMatMulReference(op: MatMulOperands, y: QuantizedOutput): void {
  const { a, aZero, b, bZero, plan, stage } = op;
  const { batchShape, aBatch, bBatch, m, n, k } = plan;
  const perColumn = stage.multiplier.length > 1;
  for (let batch = 0; batch < shapeSize(batchShape); batch++) {
    // the batch multi-index, then each operand's own matrix index (0 along its stretched axes)
    const coordinates: number[] = [];
    for (let axis = batchShape.length - 1, rest = batch; axis >= 0; axis--) {
      coordinates[axis] = rest % batchShape[axis];
      rest = Math.floor(rest / batchShape[axis]);
    }
    const matrixIndex = (shape: readonly number[]): number =>
      shape.reduce((index, d, axis) => index * d + (d === 1 ? 0 : coordinates[axis + batchShape.length - shape.length]), 0);
    const aBase = matrixIndex(aBatch) * m * k;
    const bBase = matrixIndex(bBatch) * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const zb = bZero.length > 1 ? bZero[j] : bZero[0];
        let acc = 0;
        for (let p = 0; p < k; p++) acc = (acc + Math.imul(a[aBase + i * k + p] - aZero, b[bBase + p * n + j] - zb)) | 0;
        y[(batch * m + i) * n + j] = requantizeOne(stage, perColumn ? j : 0, acc);
      }
    }
  }
}
