/**
 * ConvInteger (ONNX ConvInteger-10): y = conv(x − x_zero_point, w − w_zero_point), int8/uint8
 * operands, an int32 result, the geometry (pads, strides, dilations, group, auto_pad) of Conv
 * (window.ts). x_zero_point is per tensor; w_zero_point per tensor or per output channel (1-D of
 * M elements). Padding holds x_zero_point, i.e. 0 once centred (docs/QUANTIZATION.md eq. (11)).
 */
import { ShapeError } from '../../../errors.ts';
import type { Node } from '../../../ir/graph.ts';
import { formatShape, tensor, type Tensor } from '../../../ir/tensor.ts';
import type { KernelConfig } from '../../kernel.ts';
import { convDims, type ConvDims } from '../float/conv.ts';
import { nodeLabel, requireDtype, requireInput } from '../float/node-io.ts';
import { convWindow, outputSpatialShape, type Window } from '../float/window.ts';
import { centered, integerConv } from './integer-operands.ts';
import { EIGHT_BIT_TYPES, zeroPointInput } from './quant-io.ts';

/** Geometry and int32 accumulators of a quantized convolution. */
export interface IntegerConvolution {
  readonly dims: ConvDims;
  readonly window: Window;
  /** N × M × output spatial. */
  readonly shape: readonly number[];
  readonly acc: Int32Array;
}

/** Throws unless a parameter of x (zero point, scale) holds one value. */
export function requirePerTensor(node: Node, t: Tensor | undefined, what: string): void {
  if (t !== undefined && t.data.length !== 1) throw new ShapeError(`${nodeLabel(node)}: ${what} has shape ${formatShape(t.shape)}; it must hold one value (per tensor)`);
}

/**
 * The shape in which a per-tensor or per-output-channel parameter of w (zero point, scale)
 * broadcasts against a tensor whose axis `rank` from the end is M: [] or [M, 1, …, 1] of
 * length `rank` (w: its own rank; y = N × M × spatial: its rank − 1).
 */
export function perChannelShape(node: Node, t: Tensor, featureMaps: number, rank: number, what: string): number[] {
  if (t.data.length === 1) return [];
  if (t.shape.length !== 1 || t.shape[0] !== featureMaps) {
    throw new ShapeError(`${nodeLabel(node)}: ${what} has shape ${formatShape(t.shape)}; it must hold one value or one per output channel ([${featureMaps}])`);
  }
  return [featureMaps, ...new Array<number>(rank - 1).fill(1)];
}

/** The int32 convolution of x and w after subtracting their zero points, and its geometry. eq. (11) */
export function convIntegerImpl(node: Node, x: Tensor, xZeroPoint: Tensor | undefined, w: Tensor, wZeroPoint: Tensor | undefined): IntegerConvolution {
  const label = nodeLabel(node);
  const dims = convDims(node, x, w, undefined);
  const window = convWindow(node, x.shape.slice(2), w.shape.slice(2));
  requirePerTensor(node, xZeroPoint, 'x_zero_point');
  const wShape = wZeroPoint === undefined ? [] : perChannelShape(node, wZeroPoint, dims.featureMaps, w.shape.length, 'w_zero_point');
  const acc = integerConv(centered(x, xZeroPoint, [], label, 'x_zero_point'), centered(w, wZeroPoint, wShape, label, 'w_zero_point'), dims, window);
  return { dims, window, shape: [dims.batch, dims.featureMaps, ...outputSpatialShape(window)], acc };
}

/** Reads x and w (int8/uint8) and their zero points from the input positions of the op. */
export function integerOperands(inputs: readonly (Tensor | undefined)[], node: Node, indices: { x: number; xZero: number; w: number; wZero: number }): { x: Tensor; xZeroPoint?: Tensor; w: Tensor; wZeroPoint?: Tensor } {
  const label = nodeLabel(node);
  const x = requireInput(inputs, indices.x, node, 'x');
  const w = requireInput(inputs, indices.w, node, 'w');
  requireDtype(x, EIGHT_BIT_TYPES, label, 'x');
  requireDtype(w, EIGHT_BIT_TYPES, label, 'w');
  return {
    x,
    xZeroPoint: zeroPointInput(inputs, indices.xZero, node, 'x_zero_point', x.dtype, 'x'),
    w,
    wZeroPoint: zeroPointInput(inputs, indices.wZero, node, 'w_zero_point', w.dtype, 'w'),
  };
}

function convInteger(inputs: readonly (Tensor | undefined)[], node: Node): Tensor[] {
  const { x, xZeroPoint, w, wZeroPoint } = integerOperands(inputs, node, { x: 0, w: 1, xZero: 2, wZero: 3 });
  const { shape, acc } = convIntegerImpl(node, x, xZeroPoint, w, wZeroPoint);
  return [tensor('int32', shape, acc, `${nodeLabel(node)} output`)];
}

export const convIntegerConfig: KernelConfig = { op: 'ConvInteger', impl: convInteger };
