/** Clip(input, min?, max?): clamps every element to [min, max]; omitted bounds do not clamp. */
import type { Tensor } from '../../../ir/tensor.ts';
import { tensor } from '../../../ir/tensor.ts';
import type { KernelConfig } from '../../kernel.ts';
import { roundToDtypeInPlace } from './narrow-float.ts';
import { nodeLabel, NUMERIC_TYPES, optionalInput, requireDtype, requireInput, requireSameDtype, scalarOf } from './node-io.ts';

/**
 * min(max(x, lo), hi), as numpy.clip: when lo > hi every element becomes hi. NaN stays NaN.
 * Bounds are plain numbers (±Infinity for none).
 */
export function clipImpl(x: Tensor, lo = -Infinity, hi = Infinity, where = 'Clip'): Tensor {
  requireDtype(x, NUMERIC_TYPES, where);
  const out = tensor(x.dtype, x.shape);
  const src = x.data;
  const dst = out.data;
  for (let i = 0; i < src.length; i++) dst[i] = Math.min(Math.max(src[i], lo), hi);
  roundToDtypeInPlace(out.dtype, dst);
  return out;
}

export const clipKernels: readonly KernelConfig[] = [
  {
    op: 'Clip',
    impl: (inputs, node) => {
      const where = nodeLabel(node);
      const x = requireInput(inputs, 0, node, 'input');
      const min = optionalInput(inputs, 1);
      const max = optionalInput(inputs, 2);
      requireSameDtype([x, ...(min ? [min] : []), ...(max ? [max] : [])], where);
      return [clipImpl(x, min ? scalarOf(min, where, 'min') : -Infinity, max ? scalarOf(max, where, 'max') : Infinity, where)];
    },
  },
];
