/**
 * Small helpers the tensor kernels share to read their inputs: a label naming the node for error
 * messages, required/optional inputs, integer lists held in int32/int64 tensors, axis
 * normalisation and dtype checks. Every failure is a typed QuantkitError naming the node.
 */
import { RangeArgumentError, ShapeError, UnsupportedOpError } from '../../../errors.ts';
import { DTYPES, type DType } from '../../../ir/dtype.ts';
import type { Node } from '../../../ir/graph.ts';
import { formatShape, type Tensor } from '../../../ir/tensor.ts';

/** Labels by node: kernels take theirs on every run, and nodes are immutable values. */
const labels = new WeakMap<Pick<Node, 'name' | 'opType'>, string>();

/** `node "name" (OpType)`: the prefix of every kernel error message. */
export function nodeLabel(node: Pick<Node, 'name' | 'opType'>): string {
  let label = labels.get(node);
  if (label === undefined) labels.set(node, (label = `node ${JSON.stringify(node.name)} (${node.opType})`));
  return label;
}

/** Input `index`, which the op requires; `what` names it in the error (e.g. 'data'). */
export function requireInput(inputs: readonly (Tensor | undefined)[], index: number, node: Node, what: string): Tensor {
  const t = inputs[index];
  if (t === undefined) throw new ShapeError(`${nodeLabel(node)}: required input ${index} (${what}) is missing`);
  return t;
}

/**
 * An optional input that is present and non-empty. Older exporters pass an empty tensor for an
 * omitted optional input (Resize's roi/scales, Clip's min/max through Constant nodes), so an
 * empty tensor counts as absent where the op allows it.
 */
export function optionalInput(inputs: readonly (Tensor | undefined)[], index: number): Tensor | undefined {
  const t = inputs[index];
  return t === undefined || t.data.length === 0 ? undefined : t;
}

/** The values of an integer tensor (int32/int64/…) as plain numbers, checked to be integers. */
export function integersOf(t: Tensor, where: string, what: string): number[] {
  if (DTYPES[t.dtype].kind !== 'int') throw new ShapeError(`${where}: ${what} must be an integer tensor, got ${t.dtype}`);
  return Array.from(t.data, Number);
}

/** A 1-D (or scalar) integer tensor as a list of numbers. */
export function integerListOf(t: Tensor, where: string, what: string): number[] {
  if (t.shape.length > 1) throw new ShapeError(`${where}: ${what} must be 1-D, got shape ${formatShape(t.shape)}`);
  return integersOf(t, where, what);
}

/** The single value of a one-element tensor (a scalar or shape [1]). */
export function scalarOf(t: Tensor, where: string, what: string): number {
  if (t.data.length !== 1) throw new ShapeError(`${where}: ${what} must hold one element, got shape ${formatShape(t.shape)}`);
  return Number(t.data[0]);
}

/** Maps an axis in [−rank, rank) to [0, rank). */
export function normalizeAxis(axis: number, rank: number, where: string, what = 'axis'): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new ShapeError(`${where}: ${what} ${axis} is out of range [${-rank}, ${rank - 1}]`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** Normalises a list of axes and rejects repeats. */
export function normalizeAxes(axes: readonly number[], rank: number, where: string, what = 'axes'): number[] {
  const out = axes.map((a) => normalizeAxis(a, rank, where, what));
  if (new Set(out).size !== out.length) throw new ShapeError(`${where}: ${what} [${axes.join(', ')}] repeat an axis`);
  return out;
}

/** Throws UnsupportedOpError unless `t.dtype` is one of `allowed`. */
export function requireDtype(t: Tensor, allowed: ReadonlySet<DType>, where: string, what = 'input'): void {
  if (!allowed.has(t.dtype)) {
    throw new UnsupportedOpError(`${where}: ${what} of type ${t.dtype} is not supported (supported: ${[...allowed].join(', ')})`);
  }
}

/** Throws ShapeError unless every tensor has the dtype of the first. */
export function requireSameDtype(tensors: readonly Tensor[], where: string): void {
  for (let i = 1; i < tensors.length; i++) {
    if (tensors[i].dtype !== tensors[0].dtype) {
      throw new ShapeError(`${where}: input ${i} is ${tensors[i].dtype} but input 0 is ${tensors[0].dtype}`);
    }
  }
}

/** Throws RangeArgumentError for a string attribute outside its allowed values. */
export function requireOneOf<const T extends string>(value: string, allowed: readonly T[], where: string, what: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new RangeArgumentError(`${where}: ${what} ${JSON.stringify(value)} is not one of ${allowed.join(', ')}`);
  }
  return value as T;
}

/** Floating types computed in float32 arithmetic (narrow floats are rounded afterwards). */
export const FLOAT_TYPES: ReadonlySet<DType> = new Set(['float32', 'float64', 'float16', 'bfloat16']);
/** The integer types ONNX arithmetic ops accept. */
export const INT_TYPES: ReadonlySet<DType> = new Set(['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64']);
/** Floats and integers: the element types of Add, Sub, Mul, Div, Max, ... */
export const NUMERIC_TYPES: ReadonlySet<DType> = new Set([...FLOAT_TYPES, ...INT_TYPES]);
/** Floats and signed integers: the element types of Neg and Relu. */
export const SIGNED_TYPES: ReadonlySet<DType> = new Set(['float32', 'float64', 'float16', 'bfloat16', 'int8', 'int16', 'int32', 'int64']);
