/**
 * Tensor: a dtype, a shape and a typed array in row-major (C) order. Tensors are values: kernels
 * never write into their inputs.
 */
import { LimitError, ShapeError } from '../errors.ts';
import { allocate, storageMatches, type DType, type TensorData } from './dtype.ts';

export interface Tensor {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: TensorData;
}

/** Largest element count a tensor may have unless a caller configures otherwise (2^31). */
export const DEFAULT_MAX_ELEMENTS = 2 ** 31;

/** Number of elements of a shape; throws on negative/non-integer dims or above `maxElements`. */
export function shapeSize(shape: readonly number[], maxElements = DEFAULT_MAX_ELEMENTS, what = 'tensor'): number {
  let size = 1;
  for (const dim of shape) {
    if (!Number.isInteger(dim) || dim < 0) throw new ShapeError(`${what}: invalid dimension ${dim} in shape [${shape.join(', ')}]`);
    size *= dim;
    if (size > maxElements) {
      throw new LimitError(`${what}: shape [${shape.join(', ')}] has more than ${maxElements} elements (the configured limit)`);
    }
  }
  return size;
}

/** A tensor over `data` (not copied), or zero-filled storage when `data` is omitted. */
export function tensor(dtype: DType, shape: readonly number[], data?: TensorData, what = 'tensor'): Tensor {
  const size = shapeSize(shape, DEFAULT_MAX_ELEMENTS, what);
  if (data === undefined) return { dtype, shape: [...shape], data: allocate(dtype, size) };
  if (!storageMatches(dtype, data)) {
    throw new ShapeError(`${what}: ${data.constructor.name} cannot hold ${dtype} elements`);
  }
  if (data.length !== size) {
    throw new ShapeError(`${what}: shape [${shape.join(', ')}] needs ${size} elements, data has ${data.length}`);
  }
  return { dtype, shape: [...shape], data };
}

/** A float32 tensor from numbers (copied). */
export function float32(shape: readonly number[], values: ArrayLike<number>): Tensor {
  return tensor('float32', shape, Float32Array.from(values));
}

/** A scalar (rank 0) tensor. */
export function scalar(dtype: DType, value: number): Tensor {
  const t = tensor(dtype, []);
  t.data[0] = value;
  return t;
}

/** Row-major strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = stride;
    stride *= shape[i];
  }
  return strides;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function formatShape(shape: readonly (number | string | null)[]): string {
  return `[${shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}
