/**
 * Ops that change only the shape, never the elements: Reshape, Flatten, Squeeze, Unsqueeze (their
 * outputs share the input's storage), and Shape and Size, which describe it as int64 tensors.
 */
import { ShapeError } from '../../../errors.ts';
import { attrInt } from '../../../ir/attributes.ts';
import { formatShape, shapeSize, tensor, type Tensor } from '../../../ir/tensor.ts';
import type { KernelConfig } from '../../kernel.ts';
import { integerListOf, nodeLabel, normalizeAxes, optionalInput, requireInput } from './node-io.ts';

function view(x: Tensor, shape: readonly number[]): Tensor {
  return { dtype: x.dtype, shape: [...shape], data: x.data };
}

/**
 * The output shape of Reshape: 0 copies the input's dimension at that index (or, with
 * `allowZero`, means an empty dimension), and one −1 is inferred from the element count.
 */
export function reshapeShape(inShape: readonly number[], requested: readonly number[], allowZero: boolean, where = 'Reshape'): number[] {
  const size = shapeSize(inShape);
  const bad = (why: string) => new ShapeError(`${where}: cannot reshape ${formatShape(inShape)} to ${formatShape(requested)}: ${why}`);
  if (requested.filter((d) => d === -1).length > 1) throw bad('more than one −1');
  if (allowZero && requested.includes(0) && requested.includes(-1)) throw bad('0 and −1 together with allowzero = 1');
  let known = 1;
  let inferAt = -1;
  const out = requested.map((d, i) => {
    if (!Number.isInteger(d) || d < -1) throw bad(`invalid dimension ${d}`);
    if (d === -1) {
      inferAt = i;
      return -1;
    }
    if (d === 0 && !allowZero) {
      if (i >= inShape.length) throw bad(`0 at index ${i} copies a dimension the input does not have`);
      d = inShape[i];
    }
    known *= d;
    return d;
  });
  if (inferAt >= 0) {
    if (known === 0 || size % known !== 0) throw bad(`the −1 dimension cannot be inferred (${size} elements)`);
    out[inferAt] = size / known;
  } else if (known !== size) {
    throw bad(`${size} elements do not fit ${known}`);
  }
  return out;
}

/** x with a new shape (see reshapeShape); shares x's storage. */
export function reshapeImpl(x: Tensor, requested: readonly number[], allowZero = false, where = 'Reshape'): Tensor {
  return view(x, reshapeShape(x.shape, requested, allowZero, where));
}

/** x as a matrix [d0·…·d(axis−1), d(axis)·…]; axis in [−rank, rank]. */
export function flattenImpl(x: Tensor, axis = 1, where = 'Flatten'): Tensor {
  const rank = x.shape.length;
  // Range [−rank, rank]: negative axes count from the end of the rank-long shape.
  if (!Number.isInteger(axis) || axis < -rank || axis > rank) throw new ShapeError(`${where}: axis ${axis} is out of range [${-rank}, ${rank}]`);
  const a = axis < 0 ? axis + rank : axis;
  const outer = x.shape.slice(0, a).reduce((p, d) => p * d, 1);
  const inner = x.shape.slice(a).reduce((p, d) => p * d, 1);
  return view(x, [outer, inner]);
}

/** x without the listed size-1 axes (all size-1 axes when `axes` is undefined). */
export function squeezeImpl(x: Tensor, axes?: readonly number[], where = 'Squeeze'): Tensor {
  const rank = x.shape.length;
  if (axes === undefined) return view(x, x.shape.filter((d) => d !== 1));
  const drop = new Set(normalizeAxes(axes, rank, where));
  for (const a of drop) {
    if (x.shape[a] !== 1) throw new ShapeError(`${where}: cannot squeeze axis ${a} of size ${x.shape[a]} in shape ${formatShape(x.shape)}`);
  }
  return view(x, x.shape.filter((_, i) => !drop.has(i)));
}

/** x with size-1 axes inserted at `axes` (positions in the output). */
export function unsqueezeImpl(x: Tensor, axes: readonly number[], where = 'Unsqueeze'): Tensor {
  const rank = x.shape.length + axes.length;
  const insert = new Set(normalizeAxes(axes, rank, where));
  const shape: number[] = [];
  let next = 0;
  for (let i = 0; i < rank; i++) shape.push(insert.has(i) ? 1 : x.shape[next++]);
  return view(x, shape);
}

/** The dimensions [start, end) of x's shape as an int64 vector; bounds are clamped like Slice. */
export function shapeImpl(x: Tensor, start = 0, end?: number): Tensor {
  const rank = x.shape.length;
  const clamp = (v: number) => Math.min(rank, Math.max(0, v < 0 ? v + rank : v));
  const dims = x.shape.slice(clamp(start), clamp(end ?? rank));
  return tensor('int64', [dims.length], Float64Array.from(dims));
}

/** The element count of x as an int64 scalar. */
export function sizeImpl(x: Tensor): Tensor {
  return tensor('int64', [], Float64Array.of(x.data.length));
}

export const shapeKernels: readonly KernelConfig[] = [
  {
    op: 'Reshape',
    impl: (inputs, node) => {
      const where = nodeLabel(node);
      const shape = integerListOf(requireInput(inputs, 1, node, 'shape'), where, 'shape');
      return [reshapeImpl(requireInput(inputs, 0, node, 'data'), shape, attrInt(node, 'allowzero', 0) !== 0, where)];
    },
  },
  { op: 'Flatten', impl: (inputs, node) => [flattenImpl(requireInput(inputs, 0, node, 'input'), attrInt(node, 'axis', 1), nodeLabel(node))] },
  {
    op: 'Squeeze',
    impl: (inputs, node) => {
      const where = nodeLabel(node);
      const axes = optionalInput(inputs, 1);
      return [squeezeImpl(requireInput(inputs, 0, node, 'data'), axes && integerListOf(axes, where, 'axes'), where)];
    },
  },
  {
    op: 'Unsqueeze',
    impl: (inputs, node) => {
      const where = nodeLabel(node);
      const axes = integerListOf(requireInput(inputs, 1, node, 'axes'), where, 'axes');
      return [unsqueezeImpl(requireInput(inputs, 0, node, 'data'), axes, where)];
    },
  },
  { op: 'Shape', impl: (inputs, node) => [shapeImpl(requireInput(inputs, 0, node, 'data'), attrInt(node, 'start', 0), attrInt(node, 'end'))] },
  { op: 'Size', impl: (inputs, node) => [sizeImpl(requireInput(inputs, 0, node, 'data'))] },
];
