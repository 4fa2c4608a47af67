/**
 * QLinearAveragePool and QLinearGlobalAveragePool (com.microsoft, onnxruntime contrib ops) in
 * integer arithmetic: each window's sum of x − z_x in int32, then the division by the window's
 * count with the rounding and requantization of average.ts (eqs. (10), (14), (18) of
 * docs/QUANTIZATION.md). X and Y share one type (int8/uint8; int4/uint4 held unpacked too);
 * scales and zero points are per tensor.
 *
 * QLinearAveragePool has AveragePool's geometry (kernel_shape, strides, pads, auto_pad, ceil_mode;
 * float/window.ts) and count_include_pad: the count is the taps inside the input, or with
 * count_include_pad the taps inside the padded input (never the taps a ceil_mode window reaches
 * beyond the end padding), as the float AveragePool. channels_last = 1 (NHWC) is rejected here;
 * QLinearGlobalAveragePool accepts it.
 *
 * The window sums walk precomputed tap ranges per axis (window.ts tapRanges), with no bounds test
 * per tap; qlinear-pool-reference.ts tests every tap instead.
 */
import { ShapeError, UnsupportedOpError } from '../../../errors.ts';
import { attrInt } from '../../../ir/attributes.ts';
import type { Node } from '../../../ir/graph.ts';
import { formatShape, shapeSize, tensor, type Tensor } from '../../../ir/tensor.ts';
import type { KernelConfig } from '../../kernel.ts';
import { nodeLabel } from '../float/node-io.ts';
import { averageWindows, paddedTapCounts } from '../float/pool.ts';
import { outputSpatialShape, poolWindow, tapRanges, type Window } from '../float/window.ts';
import { averageOne, averageScale, type AverageScale } from './average.ts';
import type { IntegerArray } from './igemm.ts';
import { checkInputCount, dtypeRange, integerInput, tensorScale, zeroPointValues, type IntegerTensor } from './operands.ts';
import type { QuantizedOutput } from '../../../quant/output-stage.ts';

/** Every window count of the pooling (for the per-count multipliers of average.ts). */
export function windowCounts(window: Window, countIncludePad: boolean): Set<number> {
  const perAxis = [0, 1, 2].map((axis) => {
    if (countIncludePad) return new Set(paddedTapCounts(window, axis));
    const ranges = tapRanges(window, axis);
    const counts = new Set<number>();
    for (let o = 0; o < window.output[axis]; o++) counts.add(ranges[2 * o + 1] - ranges[2 * o]);
    return counts;
  });
  const counts = new Set<number>();
  for (const d of perAxis[0]) for (const h of perAxis[1]) for (const w of perAxis[2]) counts.add(d * h * w);
  return counts;
}

/** The average pooling of `planes` planes of x (zero point xZero) into y. */
export function qlinearAveragePoolImpl(x: IntegerArray, xZero: number, planes: number, window: Window, countIncludePad: boolean, scale: AverageScale, y: QuantizedOutput): void {
  averageWindows(x, planes, window, countIncludePad, (yi, sum, taps, count) => {
    y[yi] = averageOne(scale, sum - xZero * taps, count); // Σ (x − z_x) over the taps inside
  });
}

/**
 * The global average of x − z_x over each plane: `planes` planes of `plane` elements, element e of
 * plane p at x[offset(p) + e·step] with channels-first (step 1) or channels-last (step C) layout.
 */
export function qlinearGlobalAveragePoolImpl(x: IntegerArray, xZero: number, batch: number, channels: number, plane: number, channelsLast: boolean, scale: AverageScale, y: QuantizedOutput): void {
  const step = channelsLast ? channels : 1;
  for (let n = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++) {
      let i = channelsLast ? n * plane * channels + c : (n * channels + c) * plane;
      let sum = 0;
      for (let e = 0; e < plane; e++, i += step) sum += x[i];
      y[n * channels + c] = averageOne(scale, sum - xZero * plane, plane);
    }
  }
}

/** x, x_scale, x_zero_point, y_scale, y_zero_point of a quantized pooling, and the output type's range. */
function poolParameters(inputs: readonly (Tensor | undefined)[], node: Node): { x: IntegerTensor; xZero: number; xScale: number; yScale: number; yZero: number } {
  const x = integerInput(inputs, 0, node, 'X');
  if (x.shape.length < 3) throw new ShapeError(`${nodeLabel(node)}: input X has shape ${formatShape(x.shape)}; pooling needs N × C × spatial`);
  return {
    x,
    xZero: zeroPointValues(inputs, 2, node, 'x_zero_point', x, 'X', true)[0],
    xScale: tensorScale(inputs, 1, node, 'x_scale'),
    yScale: tensorScale(inputs, 3, node, 'y_scale'),
    yZero: zeroPointValues(inputs, 4, node, 'y_zero_point', x, 'X', true)[0],
  };
}

function qlinearAveragePool(inputs: readonly (Tensor | undefined)[], node: Node): Tensor[] {
  checkInputCount(inputs, node, 4, 5);
  const label = nodeLabel(node);
  if (attrInt(node, 'channels_last', 0) !== 0) throw new UnsupportedOpError(`${label}: channels_last = 1 (NHWC) is not supported; the integer QLinearAveragePool takes N × C × spatial`);
  const { x, xZero, xScale, yScale, yZero } = poolParameters(inputs, node);
  const window = poolWindow(node, x.shape.slice(2));
  const countIncludePad = attrInt(node, 'count_include_pad', 0) !== 0;
  const { qmin, qmax } = dtypeRange(x.dtype);
  const scale = averageScale(xScale, yScale, yZero, qmin, qmax, windowCounts(window, countIncludePad));
  const shape = [x.shape[0], x.shape[1], ...outputSpatialShape(window)];
  const y = tensor(x.dtype, shape, undefined, `${label} output`);
  qlinearAveragePoolImpl(x.data, xZero, x.shape[0] * x.shape[1], window, countIncludePad, scale, y.data as QuantizedOutput);
  return [y];
}

function qlinearGlobalAveragePool(inputs: readonly (Tensor | undefined)[], node: Node): Tensor[] {
  checkInputCount(inputs, node, 5);
  const label = nodeLabel(node);
  const { x, xZero, xScale, yScale, yZero } = poolParameters(inputs, node);
  const channelsLast = attrInt(node, 'channels_last', 0) !== 0;
  const rank = x.shape.length;
  const channels = channelsLast ? x.shape[rank - 1] : x.shape[1];
  const spatial = channelsLast ? x.shape.slice(1, rank - 1) : x.shape.slice(2);
  const plane = shapeSize(spatial);
  if (plane === 0) throw new ShapeError(`${label}: input X has shape ${formatShape(x.shape)}: empty spatial axes`);
  const { qmin, qmax } = dtypeRange(x.dtype);
  const scale = averageScale(xScale, yScale, yZero, qmin, qmax, [plane]);
  const shape = channelsLast ? [x.shape[0], ...spatial.map(() => 1), channels] : [x.shape[0], channels, ...spatial.map(() => 1)];
  const y = tensor(x.dtype, shape, undefined, `${label} output`);
  qlinearGlobalAveragePoolImpl(x.data, xZero, x.shape[0], channels, plane, channelsLast, scale, y.data as QuantizedOutput);
  return [y];
}

export const qlinearAveragePoolConfig: KernelConfig = { op: 'QLinearAveragePool', domain: 'com.microsoft', impl: qlinearAveragePool };
export const qlinearGlobalAveragePoolConfig: KernelConfig = { op: 'QLinearGlobalAveragePool', domain: 'com.microsoft', impl: qlinearGlobalAveragePool };
