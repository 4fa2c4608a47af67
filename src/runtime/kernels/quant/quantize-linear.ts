/**
 * QuantizeLinear (ONNX QuantizeLinear-25): y = saturate(round_half_to_even(x / y_scale) + y_zero_point),
 * docs/QUANTIZATION.md eq. (2), per tensor, per axis or blocked (eq. (9)).
 *
 * - Output type: output_dtype, else y_zero_point's type, else uint8 (both given: they must agree).
 *   Integers uint2 … int16 saturate to their full range; the float8 types compute
 *   x / y_scale + y_zero_point in float32 and cast with `saturate` (default 1: ±max of the format
 *   instead of ±inf/NaN), as the spec's formula says (the ONNX reference ignores a float8 zero
 *   point, which is 0 in every published model and test).
 * - Precision: the division runs in the `precision` attribute's type, else in y_scale's type
 *   (the spec), so a float16 scale divides in float16: x and y_scale are rounded to that type and
 *   so is their quotient (the float32 quotient of two float16/bfloat16 values rounded once more is
 *   the correctly rounded narrow quotient: 24 ≥ 2·11 + 2 bits). float32 is the float32 quotient,
 *   a division, never a multiplication by 1/scale.
 * - x may be float32, float16, bfloat16 or int32 (converted to float32 first, exact below 2^24).
 *   A NaN or ±inf x is an error for integer outputs (docs eq. (2)); a finite x whose quotient
 *   overflows a narrow precision saturates like any large value.
 *
 * The integer math is src/quant/quantize.ts: the float32 quotient is exactly its eq. (2); for a
 * narrower precision the kernel forms the rounded quotients and hands them to `quantize` with unit
 * scales (fl32(t / 1) = t), so rounding, zero point and saturation still have one home.
 * Per-tensor float32 → 8-bit quantization runs in wasm where it is available
 * (src/runtime/wasm/quantize.ts), with the same integers.
 */
import { RangeArgumentError, ShapeError, UnsupportedOpError } from '../../../errors.ts';
import { attrInt } from '../../../ir/attributes.ts';
import type { DType, TensorData } from '../../../ir/dtype.ts';
import type { Node } from '../../../ir/graph.ts';
import { tensor, type Tensor } from '../../../ir/tensor.ts';
import { roundToMinifloat } from '../../../numeric/minifloat.ts';
import { validateParams, type QuantParams } from '../../../quant/params.ts';
import { quantize, quantizedArrayFor, type QuantizedArray } from '../../../quant/quantize.ts';
import { wasmKernels } from '../../wasm/index.ts';
import { quantizeToBytes } from '../../wasm/quantize.ts';
import type { KernelConfig } from '../../kernel.ts';
import { minifloatFormatOf } from '../float/narrow-float.ts';
import { nodeLabel, requireDtype, requireInput } from '../float/node-io.ts';
import {
  checkZeroPointShape,
  dtypeAttribute,
  FLOAT8_TYPES,
  floatRounder,
  forEachScaleIndex,
  granularityOf,
  integerParams,
  INTEGER_QUANT_TYPES,
  namingNode,
  scaleInput,
  zeroPointInput,
  type Granularity,
} from './quant-io.ts';

const X_TYPES: ReadonlySet<DType> = new Set(['float32', 'float16', 'bfloat16', 'int32']);
const PRECISIONS: ReadonlySet<DType> = new Set(['float32', 'float16', 'bfloat16']);
/** A quotient beyond every integer output range: an overflowed narrow quotient saturates like it. */
const BEYOND_RANGE = 2 ** 24;
/** Elements from which quantizing in wasm pays for the copies in and out. */
const WASM_MIN_ELEMENTS = 64;

export interface QuantizeLinearOptions {
  /** An integer type of INTEGER_QUANT_TYPES or a float8 type. */
  readonly outputDtype: DType;
  readonly granularity: Granularity;
  /** Type of the division x / y_scale: float32, float16 or bfloat16. */
  readonly precision: DType;
  /** float8 outputs only: clamp to ±max of the format instead of ±inf / NaN. */
  readonly saturate: boolean;
}

/**
 * Quantizes `x` (float32 storage, row-major `shape`) with `scale` and `zeroPoint` (default 0)
 * laid out by `options.granularity`. Returns the storage of `options.outputDtype` (sub-byte
 * integers unpacked, float8 as their float32 values). eq. (2)
 * @throws RangeArgumentError for a NaN or ±inf element with an integer output.
 */
export function quantizeLinearImpl(x: Float32Array, shape: readonly number[], scale: Float32Array, zeroPoint: ArrayLike<number> | undefined, options: QuantizeLinearOptions): TensorData {
  const { outputDtype, granularity, precision, saturate } = options;
  const format = minifloatFormatOf(outputDtype);
  if (format === undefined && precision === 'float32') {
    const params = integerParams(outputDtype, scale, zeroPoint, granularity);
    const fast = perTensorBytes(x, shape, params);
    return fast ?? quantize(x, shape, params); // eq. (2); the TypeScript path also names a non-finite element
  }
  const round = floatRounder(precision);
  const divisor = scale.map(round);
  for (let j = 0; j < divisor.length; j++) {
    if (!(divisor[j] > 0) || divisor[j] === Infinity) throw new RangeArgumentError(`y_scale element ${j} (${scale[j]}) is ${divisor[j]} in ${precision}, the precision of the division`);
  }
  if (format !== undefined) {
    // float8: y = cast(fl32(x / s + z)), z a float8 value.
    const y = new Float32Array(x.length);
    forEachScaleIndex(shape, granularity, (i, j) => {
      const t = round(round(x[i]) / divisor[j]);
      y[i] = roundToMinifloat(format, Math.fround(t + (zeroPoint === undefined ? 0 : zeroPoint[j])), saturate);
    });
    return y;
  }
  const quotient = new Float32Array(x.length);
  forEachScaleIndex(shape, granularity, (i, j) => {
    const v = x[i];
    if (v - v !== 0) throw new RangeArgumentError(`x element ${i} is ${v}; only finite values can be quantized to ${outputDtype}`);
    const t = round(round(v) / divisor[j]);
    quotient[i] = t === Infinity ? BEYOND_RANGE : t === -Infinity ? -BEYOND_RANGE : t;
  });
  return quantize(quotient, shape, integerParams(outputDtype, new Float32Array(scale.length).fill(1), zeroPoint, granularity));
}

/**
 * eq. (2) in wasm for a per-tensor 8-bit (or narrower) output: the same integers. Undefined when
 * it does not apply or x holds a NaN/±∞ (the caller's TypeScript path then reports it).
 */
function perTensorBytes(x: Float32Array, shape: readonly number[], params: QuantParams): QuantizedArray | undefined {
  const backend = wasmKernels();
  if (backend === undefined || params.scale.length !== 1 || params.bits > 8 || x.length < WASM_MIN_ELEMENTS) return undefined;
  validateParams(params, shape);
  const y = quantizedArrayFor(x.length, params) as Int8Array | Uint8Array;
  return quantizeToBytes(backend, x, params.scale[0], params.zeroPoint[0], params.qmin, params.qmax, y) < 0 ? y : undefined;
}

/** The output type: output_dtype and the zero point's type must agree; neither means uint8. */
function outputDtypeOf(node: Node, zeroPoint: Tensor | undefined): DType {
  const label = nodeLabel(node);
  const declared = dtypeAttribute(node, 'output_dtype');
  if (declared !== undefined && zeroPoint !== undefined && declared !== zeroPoint.dtype) {
    throw new ShapeError(`${label}: output_dtype ${declared} does not match y_zero_point's type ${zeroPoint.dtype}`);
  }
  const dtype = declared ?? zeroPoint?.dtype ?? 'uint8';
  if (!INTEGER_QUANT_TYPES.has(dtype) && !FLOAT8_TYPES.has(dtype)) {
    throw new UnsupportedOpError(`${label}: cannot quantize to ${dtype} (supported: ${[...INTEGER_QUANT_TYPES, ...FLOAT8_TYPES].join(', ')})`);
  }
  return dtype;
}

function quantizeLinear(inputs: readonly (Tensor | undefined)[], node: Node): Tensor[] {
  const label = nodeLabel(node);
  const x = requireInput(inputs, 0, node, 'x');
  requireDtype(x, X_TYPES, label, 'x');
  const scale = scaleInput(inputs, 1, node, 'y_scale');
  const zeroPoint = zeroPointInput(inputs, 2, node, 'y_zero_point');
  checkZeroPointShape(node, scale, zeroPoint, 'y_scale', 'y_zero_point');
  const outputDtype = outputDtypeOf(node, zeroPoint);
  const precision = dtypeAttribute(node, 'precision') ?? scale.dtype;
  if (!PRECISIONS.has(precision)) throw new UnsupportedOpError(`${label}: precision ${precision} is not supported (supported: ${[...PRECISIONS].join(', ')})`);
  const data = x.data instanceof Float32Array ? x.data : Float32Array.from(x.data);
  const options: QuantizeLinearOptions = { outputDtype, granularity: granularityOf(node, x.shape, scale, 'y_scale'), precision, saturate: attrInt(node, 'saturate', 1) !== 0 };
  const y = namingNode(node, () => quantizeLinearImpl(data, x.shape, scale.data, zeroPoint?.data, options));
  return [tensor(outputDtype, x.shape, y, `${label} output`)];
}

export const quantizeLinearConfig: KernelConfig = { op: 'QuantizeLinear', impl: quantizeLinear };
