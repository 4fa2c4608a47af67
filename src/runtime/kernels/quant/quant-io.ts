/**
 * Inputs of the ONNX quantization ops: element types, scales, zero points and the granularity
 * (per tensor, per axis, blocked) that the shape of a scale selects. Every failure is a typed
 * QuantkitError naming the node and the input.
 */
import { QuantkitError, RangeArgumentError, ShapeError, UnsupportedOpError } from '../../../errors.ts';
import { attrInt } from '../../../ir/attributes.ts';
import { dtypeFromOnnx, DTYPES, type DType } from '../../../ir/dtype.ts';
import type { Node } from '../../../ir/graph.ts';
import { formatShape, sameShape, type Tensor } from '../../../ir/tensor.ts';
import { scaleLayout } from '../../../quant/layout.ts';
import { createParams, type QuantParams } from '../../../quant/params.ts';
import { roundToMinifloat } from '../../../numeric/minifloat.ts';
import { minifloatFormatOf } from '../float/narrow-float.ts';
import { nodeLabel, normalizeAxis, requireDtype, requireInput } from '../float/node-io.ts';

/** Scale types of QuantizeLinear / DequantizeLinear / QLinearMatMul (float8e8m0 is not an IR dtype). */
export const SCALE_TYPES: ReadonlySet<DType> = new Set(['float32', 'float16', 'bfloat16']);
/** The four float8 formats of QuantizeLinear-19+ / DequantizeLinear-19+. */
export const FLOAT8_TYPES: ReadonlySet<DType> = new Set(['float8e4m3fn', 'float8e4m3fnuz', 'float8e5m2', 'float8e5m2fnuz']);
/** Integer outputs of QuantizeLinear (and inputs of DequantizeLinear besides int32). */
export const INTEGER_QUANT_TYPES: ReadonlySet<DType> = new Set(['int2', 'uint2', 'int4', 'uint4', 'int8', 'uint8', 'int16', 'uint16']);
/** The operand types of MatMulInteger, ConvInteger, QLinearMatMul and QLinearConv. */
export const EIGHT_BIT_TYPES: ReadonlySet<DType> = new Set(['int8', 'uint8']);

/** Bits and signedness of an integer dtype (int2 … int32). */
export function integerFormat(dtype: DType): { bits: number; signed: boolean } {
  const info = DTYPES[dtype];
  return { bits: info.bits, signed: (info.min as number) < 0 };
}

/** The dtype named by an attribute holding a TensorProto.DataType code, or undefined when absent (0). */
export function dtypeAttribute(node: Node, name: string): DType | undefined {
  const code = attrInt(node, name, 0);
  if (code === 0) return undefined;
  const dtype = dtypeFromOnnx(code);
  if (dtype === undefined) throw new UnsupportedOpError(`${nodeLabel(node)}: attribute ${name} = ${code} is not a data type quantkit handles`);
  return dtype;
}

/**
 * A required scale input: float32, float16 or bfloat16, every element positive and finite
 * (QuantParams require it; ONNX leaves other scales undefined in practice).
 */
export function scaleInput(inputs: readonly (Tensor | undefined)[], index: number, node: Node, what: string): Tensor & { data: Float32Array } {
  const t = requireInput(inputs, index, node, what);
  const label = nodeLabel(node);
  requireDtype(t, SCALE_TYPES, label, what);
  for (let i = 0; i < t.data.length; i++) {
    const s = t.data[i];
    if (!(s > 0) || s === Infinity) throw new RangeArgumentError(`${label}: ${what} element ${i} is ${s}; scales must be positive and finite`);
  }
  return t as Tensor & { data: Float32Array };
}

/** An optional zero point; when present it must have the dtype `expected` (the dtype of its operand). */
export function zeroPointInput(inputs: readonly (Tensor | undefined)[], index: number, node: Node, what: string, expected?: DType, operand = 'its operand'): Tensor | undefined {
  const t = inputs[index];
  if (t === undefined) return undefined;
  if (expected !== undefined && t.dtype !== expected) {
    throw new ShapeError(`${nodeLabel(node)}: ${what} is ${t.dtype} but ${operand} is ${expected}; a zero point has its operand's type`);
  }
  return t;
}

/** Throws unless the zero point has the scale's shape (a one-element zero point fits a one-element scale). */
export function checkZeroPointShape(node: Node, scale: Tensor, zeroPoint: Tensor | undefined, scaleName: string, zeroPointName: string): void {
  if (zeroPoint === undefined) return;
  const single = scale.data.length === 1 && zeroPoint.data.length === 1;
  if (!single && !sameShape(scale.shape, zeroPoint.shape)) {
    throw new ShapeError(`${nodeLabel(node)}: ${zeroPointName} has shape ${formatShape(zeroPoint.shape)} but ${scaleName} has shape ${formatShape(scale.shape)}; they must be equal`);
  }
}

/** Which scale an element uses: per tensor (no axis), per axis (axis), blocked (axis and groupSize). docs eq. (9) */
export interface Granularity {
  readonly axis?: number;
  readonly groupSize?: number;
}

/**
 * The granularity of QuantizeLinear / DequantizeLinear from the scale's shape and the `axis`
 * (default 1) and `block_size` (default 0) attributes:
 *  - one element (a scalar, or any shape holding one value, as the ONNX reference): per tensor;
 *  - block_size = 0: a 1-D scale of length x.shape[axis], per axis;
 *  - block_size = B > 0: the scale has x's rank and shape except along axis, where it has
 *    ceil(D / B) blocks (the spec's accepted range [ceil(D/S), ceil(D/(S−1)) − 1] for B).
 */
export function granularityOf(node: Node, xShape: readonly number[], scale: Tensor, scaleName: string): Granularity {
  const label = nodeLabel(node);
  const blockSize = attrInt(node, 'block_size', 0);
  if (!Number.isInteger(blockSize) || blockSize < 0) throw new RangeArgumentError(`${label}: block_size ${blockSize} must be a non-negative integer`);
  if (scale.data.length === 1) return {};
  const axis = normalizeAxis(attrInt(node, 'axis', 1), xShape.length, label);
  const size = xShape[axis];
  if (blockSize === 0) {
    if (scale.shape.length !== 1 || scale.shape[0] !== size) {
      throw new ShapeError(
        `${label}: ${scaleName} has shape ${formatShape(scale.shape)}; per-axis quantization of x ${formatShape(xShape)} along axis ${axis} needs shape [${size}] (a scalar is per tensor; blocked quantization needs block_size)`,
      );
    }
    return { axis };
  }
  const blocked = xShape.map((d, i) => (i === axis ? Math.ceil(d / blockSize) : d));
  if (scale.shape.length !== xShape.length || scale.shape.some((d, i) => i !== axis && d !== xShape[i])) {
    throw new ShapeError(`${label}: ${scaleName} has shape ${formatShape(scale.shape)}; blocked quantization of x ${formatShape(xShape)} along axis ${axis} needs shape ${formatShape(blocked)}`);
  }
  const blocks = scale.shape[axis];
  if (blocks !== blocked[axis]) {
    const range = blocks > 1 ? `[${Math.ceil(size / blocks)}, ${Math.ceil(size / (blocks - 1)) - 1}]` : `[${size}, ∞)`;
    throw new ShapeError(
      `${label}: block_size ${blockSize} does not fit: ${size} elements along axis ${axis} make ${blocked[axis]} blocks, but ${scaleName} has ${blocks} (block_size must be in ${range})`,
    );
  }
  return { axis, groupSize: blockSize };
}

/**
 * QuantParams (src/quant/params.ts) of an integer quantization with the given scales and zero
 * points (default 0), the full range of `dtype` and the granularity.
 */
export function integerParams(dtype: DType, scale: Float32Array, zeroPoint: ArrayLike<number> | undefined, granularity: Granularity): QuantParams {
  const { bits, signed } = integerFormat(dtype);
  return createParams({
    scale,
    zeroPoint: zeroPoint ?? 0,
    bits,
    signed,
    qmin: DTYPES[dtype].min,
    qmax: DTYPES[dtype].max,
    ...granularity,
  });
}

/**
 * Calls `visit(i, j)` for every element i of a tensor of `shape`, in row-major order, with j the
 * index of its scale (and zero point) under `granularity`. eq. (9)
 */
export function forEachScaleIndex(shape: readonly number[], granularity: Granularity, visit: (i: number, j: number) => void): void {
  const { outer, channels, inner, groupSize, outerStride, blockStride, innerStride } = scaleLayout(shape, granularity.axis, granularity.groupSize);
  let i = 0;
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const base = o * outerStride + Math.floor(c / groupSize) * blockStride;
      for (let k = 0; k < inner; k++) visit(i++, base + k * innerStride);
    }
  }
}

/** Rounding of a float32 value to a float dtype's format (identity for float32's own values after fround). */
export function floatRounder(dtype: DType): (value: number) => number {
  const format = minifloatFormatOf(dtype);
  return format === undefined ? Math.fround : (value) => roundToMinifloat(format, value);
}

/**
 * Runs `compute` and makes a typed error it throws name the node (errors of src/quant name only
 * the function and the value), as the executor would.
 */
export function namingNode<T>(node: Node, compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    const label = nodeLabel(node);
    if (error instanceof QuantkitError && !error.message.includes(label)) error.message = `${label}: ${error.message}`;
    throw error;
  }
}
