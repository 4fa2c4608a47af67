/**
 * DequantizeLinear (ONNX DequantizeLinear-25): y = (x − x_zero_point) · x_scale,
 * docs/QUANTIZATION.md eq. (3), per tensor, per axis or blocked (eq. (9)).
 *
 * - x: uint2 … int16 and int32 (through src/quant/quantize.ts `dequantize`: fl32(fl32(q − z) · s);
 *   for int32 q − z is rounded to float32 first, as onnxruntime does, where the numpy reference
 *   subtracts in float64 — they differ only beyond 2^24), or a float8 type (its value minus the
 *   float8 zero point, in float32, times the scale).
 * - The product is float32 (float16 / bfloat16 scales are exact float32 values); the result is
 *   then rounded to the output type: output_dtype, else the scale's type — as the ONNX reference
 *   computes it (float32 product, then cast).
 */
import { UnsupportedOpError } from '../../../errors.ts';
import type { DType, TensorData } from '../../../ir/dtype.ts';
import type { Node } from '../../../ir/graph.ts';
import { tensor, type Tensor } from '../../../ir/tensor.ts';
import { dequantize } from '../../../quant/quantize.ts';
import type { KernelConfig } from '../../kernel.ts';
import { roundToDtypeInPlace } from '../float/narrow-float.ts';
import { nodeLabel, requireDtype, requireInput } from '../float/node-io.ts';
import {
  checkZeroPointShape,
  dtypeAttribute,
  FLOAT8_TYPES,
  forEachScaleIndex,
  granularityOf,
  integerParams,
  INTEGER_QUANT_TYPES,
  namingNode,
  SCALE_TYPES,
  scaleInput,
  zeroPointInput,
  type Granularity,
} from './quant-io.ts';

const X_TYPES: ReadonlySet<DType> = new Set([...INTEGER_QUANT_TYPES, 'int32', ...FLOAT8_TYPES]);

export interface DequantizeLinearOptions {
  /** float32, float16 or bfloat16. */
  readonly outputDtype: DType;
  readonly granularity: Granularity;
}

/**
 * Dequantizes `x` of `xDtype` (row-major `shape`) with `scale` and `zeroPoint` (default 0) laid
 * out by `options.granularity`; returns float32 storage holding values of `options.outputDtype`.
 * eq. (3)
 */
export function dequantizeLinearImpl(
  x: TensorData,
  xDtype: DType,
  shape: readonly number[],
  scale: Float32Array,
  zeroPoint: ArrayLike<number> | undefined,
  options: DequantizeLinearOptions,
): Float32Array {
  const { outputDtype, granularity } = options;
  let y: Float32Array;
  if (FLOAT8_TYPES.has(xDtype)) {
    y = new Float32Array(x.length);
    forEachScaleIndex(shape, granularity, (i, j) => {
      y[i] = Math.fround(x[i] - (zeroPoint === undefined ? 0 : zeroPoint[j])) * scale[j]; // the store rounds the product
    });
  } else {
    y = dequantize(x, shape, integerParams(xDtype, scale, zeroPoint, granularity)); // eq. (3)
  }
  roundToDtypeInPlace(outputDtype, y);
  return y;
}

function dequantizeLinear(inputs: readonly (Tensor | undefined)[], node: Node): Tensor[] {
  const label = nodeLabel(node);
  const x = requireInput(inputs, 0, node, 'x');
  requireDtype(x, X_TYPES, label, 'x');
  const scale = scaleInput(inputs, 1, node, 'x_scale');
  const zeroPoint = zeroPointInput(inputs, 2, node, 'x_zero_point', x.dtype, `x`);
  checkZeroPointShape(node, scale, zeroPoint, 'x_scale', 'x_zero_point');
  const outputDtype = dtypeAttribute(node, 'output_dtype') ?? scale.dtype;
  if (!SCALE_TYPES.has(outputDtype)) {
    throw new UnsupportedOpError(`${label}: output_dtype ${outputDtype} is not supported (supported: ${[...SCALE_TYPES].join(', ')})`);
  }
  const options: DequantizeLinearOptions = { outputDtype, granularity: granularityOf(node, x.shape, scale, 'x_scale') };
  const y = namingNode(node, () => dequantizeLinearImpl(x.data, x.dtype, x.shape, scale.data, zeroPoint?.data, options));
  return [tensor(outputDtype, x.shape, y, `${label} output`)];
}

export const dequantizeLinearConfig: KernelConfig = { op: 'DequantizeLinear', impl: dequantizeLinear };
