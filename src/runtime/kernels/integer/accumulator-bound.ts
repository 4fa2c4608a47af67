/**
 * The int32 accumulator bound of docs/QUANTIZATION.md eq. (12): a sum of K products
 * (x − z_x)(w − z_w) is exact in int32 when K·max|x − z_x|·max|w − z_w| ≤ 2^31 − 1. Kernels check
 * it at preparation time from the activation type and zero point (worst case over all inputs)
 * and the actual weights, and refuse rather than wrap silently.
 */
import { LimitError } from '../../../errors.ts';
import type { DType } from '../../../ir/dtype.ts';
import type { Node } from '../../../ir/graph.ts';
import { nodeLabel } from '../float/node-io.ts';
import type { MatrixView } from './igemm.ts';
import { dtypeRange } from './operands.ts';

const INT32_MAX = 2147483647;

/** Largest |q − z| over the whole range of `dtype` and the zero points `zeroPoint`. */
export function maxCenteredOfType(dtype: DType, zeroPoint: ArrayLike<number>): number {
  const { qmin, qmax } = dtypeRange(dtype);
  let max = 0;
  for (let i = 0; i < zeroPoint.length; i++) max = Math.max(max, qmax - zeroPoint[i], zeroPoint[i] - qmin);
  return max;
}

/**
 * Largest |w[r, c] − z| of a rows × cols matrix whose zero point is per row or per column
 * (`zeroAxis`), or per tensor when `zeroPoint` has one element.
 */
export function maxCentered(view: MatrixView, rows: number, cols: number, zeroPoint: ArrayLike<number>, zeroAxis: 'row' | 'column'): number {
  let max = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const z = zeroPoint.length === 1 ? zeroPoint[0] : zeroPoint[zeroAxis === 'row' ? r : c];
      const v = Math.abs(view.data[view.offset + r * view.rowStride + c * view.colStride] - z);
      if (v > max) max = v;
    }
  }
  return max;
}

/** Throws LimitError naming the node when K·xMax·wMax exceeds 2^31 − 1 (eq. (12)). */
export function checkAccumulatorBound(node: Node, k: number, xMax: number, wMax: number): void {
  if (k * xMax * wMax > INT32_MAX) {
    throw new LimitError(
      `${nodeLabel(node)}: ${k} products of |x − z_x| ≤ ${xMax} and |w − z_w| ≤ ${wMax} may exceed the int32 accumulator (eq. (12) needs K·${xMax}·${wMax} ≤ 2^31 − 1)`,
    );
  }
}
