/**
 * Float inputs and outputs of the compute kernels. float32, float16 and bfloat16 are all held
 * in Float32Array and computed in float32 (fp16/bf16 outputs are rounded back to their format);
 * float64 is held and computed in float64. Node labels and the generic input checks come from
 * node-io.ts, shared with the tensor kernels.
 */
import { ShapeError } from '../../../errors.ts';
import { allocate, type DType } from '../../../ir/dtype.ts';
import type { Node } from '../../../ir/graph.ts';
import { tensor, type Tensor } from '../../../ir/tensor.ts';
import { roundToDtypeInPlace } from './narrow-float.ts';
import { FLOAT_TYPES, nodeLabel, requireDtype, requireInput } from './node-io.ts';

/** Storage of the float dtypes. */
export type FloatArray = Float32Array | Float64Array;

export interface FloatTensor extends Tensor {
  readonly data: FloatArray;
}

/** Required input `index` (named `what` in errors), checked to be float32/16, bfloat16 or float64. */
export function floatInput(inputs: readonly (Tensor | undefined)[], index: number, node: Node, what: string): FloatTensor {
  const t = requireInput(inputs, index, node, what);
  requireDtype(t, FLOAT_TYPES, nodeLabel(node), what);
  return t as FloatTensor;
}

/** Optional input `index`: undefined when omitted, else checked to have `dtype` (the op's T). */
export function optionalFloatInput(inputs: readonly (Tensor | undefined)[], index: number, node: Node, what: string, dtype: DType): FloatTensor | undefined {
  const t = inputs[index];
  if (t === undefined) return undefined;
  if (t.dtype !== dtype) throw new ShapeError(`${nodeLabel(node)}: input ${index} (${what}) is ${t.dtype}, expected ${dtype} like input 0`);
  return t as FloatTensor;
}

/** Checks that a required input shares the op's type T. */
export function sameFloatInput(inputs: readonly (Tensor | undefined)[], index: number, node: Node, what: string, dtype: DType): FloatTensor {
  const t = optionalFloatInput(inputs, index, node, what, dtype);
  if (t === undefined) return floatInput(inputs, index, node, what);
  return t;
}

/** Zeroed storage for `size` elements of a float dtype. */
export function allocateFloat(dtype: DType, size: number): FloatArray {
  return allocate(dtype, size) as FloatArray;
}

/** Wraps a computed result as a tensor of `dtype`, rounding fp16/bf16 results to their format. */
export function floatResult(dtype: DType, shape: readonly number[], data: FloatArray): Tensor {
  roundToDtypeInPlace(dtype, data);
  return tensor(dtype, shape, data);
}
