/**
 * QLinearConv (ONNX QLinearConv-10): y = saturate(round((conv(x − z_x, w − z_w) + B) · s_x·s_w / s_y) + z_y),
 * docs/QUANTIZATION.md eqs. (10), (11), (13): the exact int32 convolution of conv-integer.ts plus
 * the int32 bias, requantized as the ONNX reference does (requantize-linear.ts).
 *
 * x, w, y: int8 / uint8 (y's type is y_zero_point's). x_scale, x_zero_point, y_scale and
 * y_zero_point are per tensor; w_scale and w_zero_point per tensor or per output channel; B is
 * int32 of M elements with scale s_x·s_w and zero point 0. Scales are float32 (the spec's type).
 */
import { ShapeError } from '../../../errors.ts';
import type { Node } from '../../../ir/graph.ts';
import { formatShape, shapeSize, type Tensor } from '../../../ir/tensor.ts';
import type { KernelConfig } from '../../kernel.ts';
import { nodeLabel, requireDtype } from '../float/node-io.ts';
import { convIntegerImpl, integerOperands, perChannelShape, requirePerTensor } from './conv-integer.ts';
import { addInt32Bias } from './integer-operands.ts';
import { EIGHT_BIT_TYPES, scaleInput, zeroPointInput } from './quant-io.ts';
import { realMultipliers, requantizeLinear } from './requantize-linear.ts';

const FLOAT32: ReadonlySet<'float32'> = new Set(['float32']);

/** Scales, zero points and bias of a QLinearConv besides its operands. */
export interface QLinearConvParameters {
  readonly xScale: Tensor;
  readonly wScale: Tensor;
  readonly yScale: Tensor;
  readonly yZeroPoint: Tensor | undefined;
  readonly bias: Tensor | undefined;
}

/** The quantized convolution of `x` and `w` into y's scale and zero point. eqs. (10), (11), (13) */
export function qlinearConvImpl(node: Node, x: Tensor, xZeroPoint: Tensor | undefined, w: Tensor, wZeroPoint: Tensor | undefined, p: QLinearConvParameters): Tensor {
  const label = nodeLabel(node);
  requirePerTensor(node, p.xScale, 'x_scale');
  requirePerTensor(node, p.yScale, 'y_scale');
  requirePerTensor(node, p.yZeroPoint, 'y_zero_point');
  const { dims, shape, acc } = convIntegerImpl(node, x, xZeroPoint, w, wZeroPoint);
  if (p.bias !== undefined) {
    if (p.bias.shape.length !== 1 || p.bias.shape[0] !== dims.featureMaps) {
      throw new ShapeError(`${label}: bias B has shape ${formatShape(p.bias.shape)}, expected [${dims.featureMaps}]`);
    }
    addInt32Bias(acc, p.bias.data as Int32Array, dims.batch, dims.featureMaps, shapeSize(shape.slice(2)));
  }
  const channelShape = perChannelShape(node, p.wScale, dims.featureMaps, shape.length - 1, 'w_scale');
  // x_scale and y_scale hold one value each (per tensor): shape [] whatever their rank
  const multiplier = realMultipliers({ ...p.xScale, shape: [] }, { ...p.wScale, shape: channelShape }, { ...p.yScale, shape: [] }, 'float32', label);
  const yZero = p.yZeroPoint ?? { dtype: 'int32' as const, shape: [], data: new Int32Array(1) };
  return requantizeLinear(acc, shape, multiplier, { ...yZero, shape: [] }, p.yZeroPoint?.dtype ?? x.dtype, label);
}

function qlinearConv(inputs: readonly (Tensor | undefined)[], node: Node): Tensor[] {
  const label = nodeLabel(node);
  const { x, xZeroPoint, w, wZeroPoint } = integerOperands(inputs, node, { x: 0, xZero: 2, w: 3, wZero: 5 });
  const scale = (index: number, what: string): Tensor => {
    const t = scaleInput(inputs, index, node, what);
    requireDtype(t, FLOAT32, label, what);
    return t;
  };
  const xScale = scale(1, 'x_scale');
  const wScale = scale(4, 'w_scale');
  const yScale = scale(6, 'y_scale');
  const yZeroPoint = zeroPointInput(inputs, 7, node, 'y_zero_point');
  if (yZeroPoint !== undefined) requireDtype(yZeroPoint, EIGHT_BIT_TYPES, label, 'y_zero_point');
  const bias = inputs[8];
  if (bias !== undefined) requireDtype(bias, new Set(['int32']), label, 'B');
  if (wZeroPoint !== undefined && wZeroPoint.data.length !== 1 && wScale.data.length !== 1 && wZeroPoint.data.length !== wScale.data.length) {
    throw new ShapeError(`${label}: w_zero_point has shape ${formatShape(wZeroPoint.shape)} but w_scale has shape ${formatShape(wScale.shape)}`);
  }
  return [qlinearConvImpl(node, x, xZeroPoint, w, wZeroPoint, { xScale, wScale, yScale, yZeroPoint, bias })];
}

export const qlinearConvConfig: KernelConfig = { op: 'QLinearConv', impl: qlinearConv };
