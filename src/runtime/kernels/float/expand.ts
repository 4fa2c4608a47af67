/** Expand (broadcast to a shape) and Tile (repeat along each axis): copies that repeat elements. */
import { ShapeError } from '../../../errors.ts';
import { formatShape, stridesOf, tensor, type Tensor } from '../../../ir/tensor.ts';
import type { KernelConfig } from '../../kernel.ts';
import { broadcastShapes, planBroadcast } from './broadcast.ts';
import { integerListOf, nodeLabel, requireInput } from './node-io.ts';
import { copyStrided, planStrided } from './strided.ts';

/** x broadcast with `shape` (numpy rules in both directions, so dims of 1 in `shape` keep x's). */
export function expandImpl(x: Tensor, shape: readonly number[], where = 'Expand'): Tensor {
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new ShapeError(`${where}: invalid shape ${formatShape(shape)}`);
  const outShape = broadcastShapes([x.shape, shape], where);
  const out = tensor(x.dtype, outShape);
  copyStrided(out.data, x.data, planBroadcast(outShape, [x.shape]));
  return out;
}

/** x repeated `repeats[i]` times along axis i. */
export function tileImpl(x: Tensor, repeats: readonly number[], where = 'Tile'): Tensor {
  const rank = x.shape.length;
  if (repeats.length !== rank || repeats.some((r) => !Number.isInteger(r) || r < 0)) {
    throw new ShapeError(`${where}: repeats [${repeats.join(', ')}] must be ${rank} non-negative integers for input shape ${formatShape(x.shape)}`);
  }
  // Output axis i of size r·d is the pair (repetition, index) in row-major order, so viewing the
  // output as [r0, d0, r1, d1, …] turns Tile into a broadcast copy with stride 0 on each r.
  const inStrides = stridesOf(x.shape);
  const pairShape = x.shape.flatMap((d, i) => [repeats[i], d]);
  const pairStrides = inStrides.flatMap((s) => [0, s]);
  const out = tensor(x.dtype, x.shape.map((d, i) => d * repeats[i]));
  copyStrided(out.data, x.data, planStrided(pairShape, [stridesOf(pairShape), pairStrides]));
  return out;
}

export const expandKernels: readonly KernelConfig[] = [
  {
    op: 'Expand',
    impl: (inputs, node) => {
      const where = nodeLabel(node);
      return [expandImpl(requireInput(inputs, 0, node, 'input'), integerListOf(requireInput(inputs, 1, node, 'shape'), where, 'shape'), where)];
    },
  },
  {
    op: 'Tile',
    impl: (inputs, node) => {
      const where = nodeLabel(node);
      return [tileImpl(requireInput(inputs, 0, node, 'input'), integerListOf(requireInput(inputs, 1, node, 'repeats'), where, 'repeats'), where)];
    },
  },
];
