/** Transpose: permutes the axes (reverses them when no perm is given). */
import { ShapeError } from '../../../errors.ts';
import { attrInts } from '../../../ir/attributes.ts';
import { stridesOf, tensor, type Tensor } from '../../../ir/tensor.ts';
import type { KernelConfig } from '../../kernel.ts';
import { nodeLabel, requireInput } from './node-io.ts';
import { copyStrided, planStrided } from './strided.ts';

/** Output axis i is input axis perm[i]; perm defaults to the reversed axes. */
export function transposeImpl(x: Tensor, perm?: readonly number[], where = 'Transpose'): Tensor {
  const rank = x.shape.length;
  const p = perm ?? x.shape.map((_, i) => rank - 1 - i);
  const seen = new Set(p);
  if (p.length !== rank || seen.size !== rank || p.some((a) => !Number.isInteger(a) || a < 0 || a >= rank)) {
    throw new ShapeError(`${where}: perm [${p.join(', ')}] is not a permutation of the ${rank} axes`);
  }
  const inStrides = stridesOf(x.shape);
  const shape = p.map((a) => x.shape[a]);
  const out = tensor(x.dtype, shape);
  // Walk the output in order; the input follows with its strides permuted.
  const plan = planStrided(shape, [stridesOf(shape), p.map((a) => inStrides[a])]);
  copyStrided(out.data, x.data, plan);
  return out;
}

export const transposeKernels: readonly KernelConfig[] = [
  { op: 'Transpose', impl: (inputs, node) => [transposeImpl(requireInput(inputs, 0, node, 'data'), attrInts(node, 'perm'), nodeLabel(node))] },
];
