/**
 * Checks a tensor against its declared ValueInfo (dtype and shape), binding symbolic dimensions
 * consistently across all the values checked in one run: if input `x` binds "batch" to 8, an
 * input `y` declared ["batch", 3] must have 8 rows.
 */
import { ShapeError } from '../errors.ts';
import { storageMatches } from '../ir/dtype.ts';
import type { ValueInfo } from '../ir/graph.ts';
import { formatShape, shapeSize, type Tensor } from '../ir/tensor.ts';

/**
 * Throws ShapeError naming `what` if `value` is not a well-formed tensor (storage, element
 * count) or does not match `declared`, LimitError if it has more than `maxElements` elements.
 * Symbolic dims are looked up in / added to `symbols`.
 */
export function checkValue(what: string, value: Tensor, declared: ValueInfo | undefined, symbols: Map<string, number>, maxElements?: number): void {
  if (value === null || typeof value !== 'object' || !Array.isArray(value.shape) || !ArrayBuffer.isView(value.data)) {
    throw new ShapeError(`${what} is not a tensor ({ dtype, shape, data })`);
  }
  if (!storageMatches(value.dtype, value.data)) throw new ShapeError(`${what}: ${value.data.constructor.name} cannot hold ${value.dtype} elements`);
  const size = shapeSize(value.shape, maxElements, what);
  if (value.data.length !== size) throw new ShapeError(`${what}: shape ${formatShape(value.shape)} needs ${size} elements, data has ${value.data.length}`);
  if (declared === undefined) return;
  if (declared.dtype !== undefined && declared.dtype !== value.dtype) throw new ShapeError(`${what}: dtype ${value.dtype}, declared ${declared.dtype}`);
  const shape = declared.shape;
  if (shape === undefined) return;
  const mismatch = (detail: string): ShapeError => new ShapeError(`${what}: shape ${formatShape(value.shape)} does not match the declared ${formatShape(shape)} (${detail})`);
  if (shape.length !== value.shape.length) throw mismatch(`rank ${value.shape.length} vs ${shape.length}`);
  shape.forEach((dim, axis) => {
    const actual = value.shape[axis];
    if (typeof dim === 'number') {
      if (dim !== actual) throw mismatch(`axis ${axis} is ${actual}, expected ${dim}`);
    } else if (typeof dim === 'string') {
      const bound = symbols.get(dim);
      if (bound === undefined) symbols.set(dim, actual);
      else if (bound !== actual) throw mismatch(`axis ${axis} is ${actual}, but "${dim}" is already ${bound}`);
    }
  });
}
