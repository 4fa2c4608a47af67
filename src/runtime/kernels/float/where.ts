/** Where(condition, X, Y): X where the condition holds, else Y, with three-way numpy broadcasting. */
import { tensor, type Tensor } from '../../../ir/tensor.ts';
import type { KernelConfig } from '../../kernel.ts';
import { broadcastShapes, planBroadcast } from './broadcast.ts';
import { nodeLabel, requireDtype, requireInput, requireSameDtype } from './node-io.ts';
import { forEachRun } from './strided.ts';

const BOOL = new Set(['bool'] as const);

/** Elementwise `condition ? x : y`; condition is bool, x and y share a dtype. */
export function whereImpl(condition: Tensor, x: Tensor, y: Tensor, where = 'Where'): Tensor {
  requireDtype(condition, BOOL, where, 'condition');
  requireSameDtype([x, y], where);
  const shape = broadcastShapes([condition.shape, x.shape, y.shape], where);
  const out = tensor(x.dtype, shape);
  const plan = planBroadcast(shape, [condition.shape, x.shape, y.shape]);
  const { run, steps } = plan;
  const [sc, sx, sy] = [steps[1], steps[2], steps[3]];
  const dst = out.data;
  const c = condition.data;
  const xs = x.data;
  const ys = y.data;
  forEachRun(plan, [0, 0, 0, 0], (offsets) => {
    const o = offsets[0];
    let ic = offsets[1];
    let ix = offsets[2];
    let iy = offsets[3];
    for (let i = 0; i < run; i++, ic += sc, ix += sx, iy += sy) dst[o + i] = c[ic] !== 0 ? xs[ix] : ys[iy];
  });
  return out;
}

export const whereKernels: readonly KernelConfig[] = [
  {
    op: 'Where',
    impl: (inputs, node) => [
      whereImpl(requireInput(inputs, 0, node, 'condition'), requireInput(inputs, 1, node, 'X'), requireInput(inputs, 2, node, 'Y'), nodeLabel(node)),
    ],
  },
];
