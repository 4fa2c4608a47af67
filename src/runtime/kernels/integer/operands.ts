/**
 * Inputs of the integer kernels: input counts, integer operands, scales and zero points read as
 * plain numbers, and output ranges. Every failure is a typed QuantkitError naming the node and the
 * input (ShapeError for counts, shapes and zero-point types, UnsupportedOpError for element
 * types). Scale and zero-point checks are the ONNX quantization kernels' (../quant/quant-io.ts).
 */
import { ShapeError } from '../../../errors.ts';
import { DTYPES, type DType } from '../../../ir/dtype.ts';
import type { Node } from '../../../ir/graph.ts';
import { formatShape, type Tensor } from '../../../ir/tensor.ts';
import { nodeLabel, requireDtype, requireInput } from '../float/node-io.ts';
import { scaleInput, zeroPointInput } from '../quant/quant-io.ts';
import type { IntegerArray } from './igemm.ts';

/** Element types of integer operands and outputs: 8-bit, and 4-bit held unpacked in 8-bit arrays. */
export const INTEGER_TYPES: ReadonlySet<DType> = new Set(['int8', 'uint8', 'int4', 'uint4']);

/** A tensor whose data is an Int8Array or Uint8Array. */
export interface IntegerTensor extends Tensor {
  readonly data: IntegerArray;
}

/** Throws ShapeError unless the node has between `min` and `max` inputs (omitted optional ones included). */
export function checkInputCount(inputs: readonly unknown[], node: Node, min: number, max = min): void {
  if (inputs.length < min || inputs.length > max) {
    const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw new ShapeError(`${nodeLabel(node)}: expects ${expected} inputs, got ${inputs.length}`);
  }
}

/** Required integer operand `index` of one of `allowed` types (default INTEGER_TYPES). */
export function integerInput(inputs: readonly (Tensor | undefined)[], index: number, node: Node, what: string, allowed: ReadonlySet<DType> = INTEGER_TYPES): IntegerTensor {
  const t = requireInput(inputs, index, node, what);
  requireDtype(t, allowed, nodeLabel(node), what);
  return t as IntegerTensor;
}

/** The scale values of input `index` (positive finite floats; one, or one per channel). */
export function scaleValues(inputs: readonly (Tensor | undefined)[], index: number, node: Node, what: string): Float32Array {
  return scaleInput(inputs, index, node, what).data;
}

/** The one scale of a per-tensor scale input. */
export function tensorScale(inputs: readonly (Tensor | undefined)[], index: number, node: Node, what: string): number {
  const t = scaleInput(inputs, index, node, what);
  requireSingle(node, t, what);
  return t.data[0];
}

/**
 * The zero points of input `index` as int32 (an omitted zero point is [0]); when present it must
 * have `operand`'s type, and with `perTensor` hold one value.
 */
export function zeroPointValues(inputs: readonly (Tensor | undefined)[], index: number, node: Node, what: string, operand: Tensor, operandName: string, perTensor = false): Int32Array {
  const t = zeroPointInput(inputs, index, node, what, operand.dtype, operandName);
  if (t === undefined) return new Int32Array(1);
  if (perTensor) requireSingle(node, t, what);
  return Int32Array.from(t.data);
}

/** The zero point of an output: its type (the output's) must be one of INTEGER_TYPES; undefined when omitted. */
export function outputZeroPoint(inputs: readonly (Tensor | undefined)[], index: number, node: Node, what: string): Tensor | undefined {
  const t = inputs[index];
  if (t === undefined) return undefined;
  requireDtype(t, INTEGER_TYPES, nodeLabel(node), what);
  requireSingle(node, t, what);
  return t;
}

/** Throws ShapeError unless `t` holds exactly one value (a per-tensor scale or zero point). */
export function requireSingle(node: Node, t: Tensor, what: string): void {
  if (t.data.length !== 1) throw new ShapeError(`${nodeLabel(node)}: ${what} has shape ${formatShape(t.shape)}; it must hold one value (per tensor)`);
}

/**
 * Per-channel values (scales or zero points) of length 1 or `channels`; anything else is a
 * ShapeError naming `what` and the expected length.
 */
export function requireChannels(node: Node, values: ArrayLike<number>, shape: readonly number[], channels: number, what: string, role: string): void {
  if (values.length !== 1 && (values.length !== channels || shape.length !== 1)) {
    throw new ShapeError(`${nodeLabel(node)}: ${what} has shape ${formatShape(shape)}; it must hold one value or one per ${role} ([${channels}])`);
  }
}

/** The full range [min, max] of an integer dtype: the saturation range of an output. */
export function dtypeRange(dtype: DType): { qmin: number; qmax: number } {
  return { qmin: DTYPES[dtype].min as number, qmax: DTYPES[dtype].max as number };
}
