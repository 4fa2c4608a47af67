/**
 * Index math of quantization granularity (docs/QUANTIZATION.md eq. (9)): which scale an element
 * of a tensor uses. A tensor of shape [D0, …, Dn−1] and an axis a factor as outer × Da × inner;
 * element (o, c, k) uses scale index o·outerStride + floor(c / groupSize)·blockStride + k·innerStride.
 *
 * - per tensor: everything 0 (one scale);
 * - per channel: blockStride 1, groupSize 1 (Da scales);
 * - per group (ONNX blocked quantization): the scale tensor is the input shape with Da replaced by
 *   B = ceil(Da / groupSize); outerStride = B·inner, blockStride = inner, innerStride = 1. A group
 *   size that does not divide Da leaves a shorter last block, as ONNX does.
 *
 * Kept apart from params.ts and granularity.ts so that both (and quantize.ts) share it without a
 * cycle.
 */
import { RangeArgumentError } from '../errors.ts';

export interface ScaleLayout {
  readonly outer: number;
  readonly channels: number;
  readonly inner: number;
  readonly groupSize: number;
  readonly outerStride: number;
  readonly blockStride: number;
  readonly innerStride: number;
  /** Number of scales (and zero points). */
  readonly count: number;
  /** Shape of the scale tensor as ONNX holds it: [] per tensor, [Da] per channel, blocked shape per group. */
  readonly scaleShape: readonly number[];
}

/** Number of elements of a shape; every dimension must be a non-negative integer. */
export function elementCount(shape: readonly number[], where: string): number {
  let size = 1;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (!Number.isInteger(d) || d < 0) {
      throw new RangeArgumentError(`${where}: shape dimension ${i} is ${d}, expected a non-negative integer (shape [${shape.join(', ')}])`);
    }
    size *= d;
  }
  return size;
}

/** An ONNX axis in [−rank, rank − 1] normalised to [0, rank − 1]. */
export function normalizeAxis(axis: number, rank: number, where: string): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new RangeArgumentError(`${where}: axis ${axis} is out of range for rank ${rank} (expected an integer in [${-rank}, ${rank - 1}])`);
  }
  return axis < 0 ? axis + rank : axis;
}

/**
 * The scale layout of a tensor: per tensor when `axis` is undefined, per channel along `axis`
 * when `groupSize` is undefined, per group (block) of `groupSize` along `axis` otherwise.
 * eq. (9)
 */
export function scaleLayout(shape: readonly number[], axis?: number, groupSize?: number, where = 'scaleLayout'): ScaleLayout {
  const size = elementCount(shape, where);
  if (axis === undefined) {
    if (groupSize !== undefined) throw new RangeArgumentError(`${where}: groupSize ${groupSize} needs an axis`);
    return { outer: 1, channels: 1, inner: size, groupSize: 1, outerStride: 0, blockStride: 0, innerStride: 0, count: 1, scaleShape: [] };
  }
  const a = normalizeAxis(axis, shape.length, where);
  const channels = shape[a];
  let outer = 1;
  for (let i = 0; i < a; i++) outer *= shape[i];
  let inner = 1;
  for (let i = a + 1; i < shape.length; i++) inner *= shape[i];
  if (groupSize === undefined) {
    return { outer, channels, inner, groupSize: 1, outerStride: 0, blockStride: 1, innerStride: 0, count: channels, scaleShape: [channels] };
  }
  if (!Number.isInteger(groupSize) || groupSize < 1) {
    throw new RangeArgumentError(`${where}: groupSize ${groupSize} must be an integer ≥ 1`);
  }
  const blocks = Math.ceil(channels / groupSize);
  const scaleShape = shape.slice();
  scaleShape[a] = blocks;
  return {
    outer,
    channels,
    inner,
    groupSize,
    outerStride: blocks * inner,
    blockStride: inner,
    innerStride: 1,
    count: outer * blocks * inner,
    scaleShape,
  };
}

/** The scale index of the element at row-major flat index `index`. eq. (9) */
export function scaleIndexOf(layout: ScaleLayout, index: number): number {
  const k = index % layout.inner;
  const rest = (index - k) / layout.inner;
  const c = rest % layout.channels;
  const o = (rest - c) / layout.channels;
  return o * layout.outerStride + Math.floor(c / layout.groupSize) * layout.blockStride + k * layout.innerStride;
}
