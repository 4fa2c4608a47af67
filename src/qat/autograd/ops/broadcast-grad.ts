/**
 * Gradients through numpy broadcasting: an operand stretched along an axis contributed to every
 * output along it, so its gradient is the sum over that axis. The walk is the float kernels'
 * broadcast plan (runtime/kernels/float/broadcast.ts) with the operand's stride 0 on stretched axes.
 */
import { sameShape, tensor, type Tensor } from '../../../ir/tensor.ts';
import { planBroadcast } from '../../../runtime/kernels/float/broadcast.ts';
import { forEachRun } from '../../../runtime/kernels/float/strided.ts';

/** Σ of dy over the axes along which `shape` was broadcast to dy's shape; dy itself when none. */
export function reduceToShape(dy: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(dy.shape, shape)) return dy;
  const out = tensor(dy.dtype, shape);
  const plan = planBroadcast(dy.shape, [shape]);
  const [sy, so] = plan.steps;
  const g = dy.data;
  const d = out.data;
  forEachRun(plan, [0, 0], (offsets) => {
    for (let i = 0, y = offsets[0], o = offsets[1]; i < plan.run; i++, y += sy, o += so) d[o] += g[y];
  });
  return out;
}

/** Σ of dy·other (other broadcast to dy's shape) over the axes along which `shape` was broadcast. */
export function reduceProductToShape(dy: Tensor, other: Tensor, shape: readonly number[]): Tensor {
  const out = tensor(dy.dtype, shape);
  const plan = planBroadcast(dy.shape, [shape, other.shape]);
  const [sy, so, sb] = plan.steps;
  const g = dy.data;
  const b = other.data;
  const d = out.data;
  forEachRun(plan, [0, 0, 0], (offsets) => {
    for (let i = 0, y = offsets[0], o = offsets[1], j = offsets[2]; i < plan.run; i++, y += sy, o += so, j += sb) d[o] += g[y] * b[j];
  });
  return out;
}
