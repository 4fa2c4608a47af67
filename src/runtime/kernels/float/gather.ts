/** Gather: picks slices of `data` along one axis at the given (possibly negative) indices. */
import { ShapeError } from '../../../errors.ts';
import { attrInt } from '../../../ir/attributes.ts';
import { formatShape, tensor, type Tensor } from '../../../ir/tensor.ts';
import type { KernelConfig } from '../../kernel.ts';
import { integersOf, nodeLabel, normalizeAxis, requireInput } from './node-io.ts';

/**
 * out[a…, i…, b…] = data[a…, indices[i…], b…]: the output shape is data.shape[:axis] +
 * indices.shape + data.shape[axis+1:]. An index in [−dim, dim) counts from the end when
 * negative; anything else is a ShapeError.
 */
export function gatherImpl(data: Tensor, indices: Tensor, axis = 0, where = 'Gather'): Tensor {
  const a = normalizeAxis(axis, data.shape.length, where);
  const dim = data.shape[a];
  const idx = integersOf(indices, where, 'indices');
  for (let j = 0; j < idx.length; j++) {
    const i = idx[j];
    if (i < -dim || i >= dim) {
      throw new ShapeError(`${where}: index ${i} is out of range [${-dim}, ${dim - 1}] for axis ${a} of shape ${formatShape(data.shape)}`);
    }
    if (i < 0) idx[j] = i + dim;
  }
  const outer = data.shape.slice(0, a).reduce((p, d) => p * d, 1);
  const inner = data.shape.slice(a + 1).reduce((p, d) => p * d, 1);
  const out = tensor(data.dtype, [...data.shape.slice(0, a), ...indices.shape, ...data.shape.slice(a + 1)]);
  const src = data.data;
  const dst = out.data;
  let o = 0;
  for (let p = 0; p < outer; p++) {
    const base = p * dim * inner;
    for (let j = 0; j < idx.length; j++, o += inner) {
      const s = base + idx[j] * inner;
      if (inner === 1) dst[o] = src[s];
      else dst.set(src.subarray(s, s + inner), o);
    }
  }
  return out;
}

export const gatherKernels: readonly KernelConfig[] = [
  {
    op: 'Gather',
    impl: (inputs, node) => [
      gatherImpl(requireInput(inputs, 0, node, 'data'), requireInput(inputs, 1, node, 'indices'), attrInt(node, 'axis', 0), nodeLabel(node)),
    ],
  },
];
