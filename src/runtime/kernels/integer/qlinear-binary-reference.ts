/**
 * The plain reference of QLinearAdd / QLinearMul broadcasting (qlinear-binary.ts): every output
 * element located by its multi-index, each operand read at that index with 0 along its stretched
 * axes (numpy broadcasting), then the same per-element integer step (addOne / mulOne:
 * docs/QUANTIZATION.md eqs. (17), (18)). Same signature as `qlinearBinaryImpl`, which must agree
 * with it exactly.
 */
import { ShapeError } from '../../../errors.ts';
import { formatShape, tensor, type Tensor } from '../../../ir/tensor.ts';
import type { BinaryStage } from './qlinear-binary.ts';

/** C of the QLinear binary op `one` on a and b, by multi-indices. */
export function qlinearBinaryReference(a: Tensor, b: Tensor, p: BinaryStage, one: (p: BinaryStage, a: number, b: number) => number, where: string): Tensor {
  const rank = Math.max(a.shape.length, b.shape.length);
  const padded = (shape: readonly number[]): number[] => [...new Array<number>(rank - shape.length).fill(1), ...shape];
  const as = padded(a.shape);
  const bs = padded(b.shape);
  const shape = as.map((d, i) => {
    if (d !== bs[i] && d !== 1 && bs[i] !== 1) throw new ShapeError(`${where}: ${formatShape(a.shape)} and ${formatShape(b.shape)} do not broadcast`);
    return d === 1 ? bs[i] : d;
  });
  const out = tensor(a.dtype, shape);
  const index = new Array<number>(rank).fill(0);
  for (let flat = 0; flat < out.data.length; flat++) {
    let rest = flat;
    for (let axis = rank - 1; axis >= 0; axis--) {
      index[axis] = rest % shape[axis];
      rest = Math.floor(rest / shape[axis]);
    }
    let ia = 0;
    let ib = 0;
    for (let axis = 0; axis < rank; axis++) {
      ia = ia * as[axis] + (as[axis] === 1 ? 0 : index[axis]);
      ib = ib * bs[axis] + (bs[axis] === 1 ? 0 : index[axis]);
    }
    out.data[flat] = one(p, a.data[ia], b.data[ib]);
  }
  return out;
}
