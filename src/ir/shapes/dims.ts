/** Arithmetic on dimensions that may be numbers, symbols (strings) or unknown (null). */
import { ShapeError } from '../../errors.ts';
import type { Dim } from '../graph.ts';
import { formatShape, type Tensor } from '../tensor.ts';

/** Numpy (multidirectional) broadcasting of two shapes. */
export function broadcastShapes(a: readonly Dim[], b: readonly Dim[], what: string): Dim[] {
  const rank = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const x = i < rank - a.length ? 1 : a[i - (rank - a.length)];
    const y = i < rank - b.length ? 1 : b[i - (rank - b.length)];
    out.push(broadcastDim(x, y, () => `${what}: shapes ${formatShape(a)} and ${formatShape(b)} do not broadcast`));
  }
  return out;
}

function broadcastDim(x: Dim, y: Dim, message: () => string): Dim {
  if (x === 1) return y;
  if (y === 1) return x;
  if (typeof x === 'number' && typeof y === 'number') {
    if (x !== y) throw new ShapeError(message());
    return x;
  }
  if (typeof x === 'number') return x;
  if (typeof y === 'number') return y;
  return x !== null && x === y ? x : null;
}

/** An axis in [−rank, rank) as a non-negative index. */
export function normalizeAxis(axis: number, rank: number, what: string): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) throw new ShapeError(`${what}: axis ${axis} is out of range for rank ${rank}`);
  return axis < 0 ? axis + rank : axis;
}

/** Product of dims, or null if any is not a number. */
export function dimProduct(dims: readonly Dim[]): number | null {
  let product = 1;
  for (const d of dims) {
    if (typeof d !== 'number') return null;
    product *= d;
  }
  return product;
}

/**
 * True when a tensor of these dims would be too large for `maxElements`: its known dims alone
 * multiply past it, or one dim is longer than it (kernels such as Pad and Resize allocate a map
 * per axis as long as the dim, even when another dim is 0). Unknown and negative dims are ignored.
 */
export function exceedsElements(dims: readonly Dim[], maxElements: number): boolean {
  let elements = 1;
  for (const d of dims) {
    if (typeof d !== 'number' || !(d >= 0)) continue;
    if (d > maxElements) return true;
    elements *= d;
  }
  return elements > maxElements;
}

/** The values of a small integer constant as numbers (shape, axes, pads inputs). */
export function intValues(t: Tensor | undefined): number[] | undefined {
  return t === undefined ? undefined : Array.from(t.data as ArrayLike<number>);
}

/** Two dims that are both numbers and differ: a provable mismatch. */
export function provablyDifferent(a: Dim, b: Dim): boolean {
  return typeof a === 'number' && typeof b === 'number' && a !== b;
}

/** d + n for a dim (symbolic or unknown stays unknown). */
export function addDim(d: Dim, n: number): Dim {
  return typeof d === 'number' ? d + n : null;
}
