/**
 * Shape rules of the sliding-window ops (Conv, ConvTranspose, ConvInteger, QLinearConv, MaxPool,
 * AveragePool, global pooling). Spatial sizes follow the ONNX formulas, with
 * effective kernel k' = (k − 1)·dilation + 1:
 *   explicit pads: ⌊(d + pad_begin + pad_end − k') / s⌋ + 1 (⌈·⌉ with ceil_mode)
 *   VALID:         ⌊(d − k') / s⌋ + 1                    (⌈·⌉ with ceil_mode)
 *   SAME_*:        ⌈d / s⌉
 */
import { ShapeError } from '../../errors.ts';
import { attrInt, attrInts, attrString } from '../attributes.ts';
import type { DType } from '../dtype.ts';
import type { Dim, Node } from '../graph.ts';
import { formatShape } from '../tensor.ts';
import { provablyDifferent } from './dims.ts';
import type { RuleContext, ShapeRule } from './types.ts';

interface Window {
  kernel: readonly number[];
  strides: readonly number[];
  dilations: readonly number[];
  pads: readonly number[];
  autoPad: string;
  ceil: boolean;
}

function windowOf(node: Node, spatial: number, kernel: readonly number[]): Window {
  return {
    kernel,
    strides: attrInts(node, 'strides') ?? new Array<number>(spatial).fill(1),
    dilations: attrInts(node, 'dilations') ?? new Array<number>(spatial).fill(1),
    pads: attrInts(node, 'pads') ?? new Array<number>(2 * spatial).fill(0),
    autoPad: attrString(node, 'auto_pad', 'NOTSET'),
    ceil: attrInt(node, 'ceil_mode', 0) !== 0,
  };
}

function outputSize(d: Dim, i: number, w: Window, pooling: boolean): Dim {
  if (typeof d !== 'number') return null;
  const s = w.strides[i];
  const k = (w.kernel[i] - 1) * w.dilations[i] + 1;
  if (w.autoPad === 'SAME_UPPER' || w.autoPad === 'SAME_LOWER') return Math.ceil(d / s);
  const padded = w.autoPad === 'VALID' ? d : d + w.pads[i] + w.pads[i + w.kernel.length];
  const round = w.ceil ? Math.ceil : Math.floor;
  let out = round((padded - k) / s) + 1;
  // With ceil_mode, a last window that would start in the end padding is dropped.
  if (pooling && w.ceil && w.autoPad !== 'VALID' && (out - 1) * s >= d + (w.autoPad === 'NOTSET' ? w.pads[i] : 0)) out--;
  return out;
}

function spatialShape(x: readonly Dim[], w: Window, pooling: boolean, what: string): Dim[] {
  const dims = x.slice(2).map((d, i) => outputSize(d, i, w, pooling));
  if (dims.some((d) => typeof d === 'number' && d < 1)) {
    throw new ShapeError(`${what}: input ${formatShape(x)} is smaller than the window (kernel ${formatShape(w.kernel)})`);
  }
  return dims;
}

function convLike(outputType: (node: Node, ctx: RuleContext) => DType | undefined, xIndex = 0, wIndex = 1): ShapeRule {
  return (node, ctx) => {
    const x = ctx.info(node.inputs[xIndex])?.shape;
    const weight = ctx.info(node.inputs[wIndex])?.shape;
    const dtype = outputType(node, ctx);
    if (x === undefined || weight === undefined) return [{ dtype }];
    const group = attrInt(node, 'group', 1);
    if (provablyDifferent(x[1], typeof weight[1] === 'number' ? weight[1] * group : null)) {
      throw new ShapeError(`${ctx.what}: input channels ${x[1]} do not match weight ${formatShape(weight)} × group ${group}`);
    }
    const kernel = attrInts(node, 'kernel_shape') ?? weight.slice(2);
    if (!kernel.every((k): k is number => typeof k === 'number')) return [{ dtype, shape: [x[0], weight[0], ...x.slice(2).map(() => null)] }];
    return [{ dtype, shape: [x[0], weight[0], ...spatialShape(x, windowOf(node, kernel.length, kernel), false, ctx.what)] }];
  };
}

const convTranspose: ShapeRule = (node, ctx) => {
  const x = ctx.info(node.inputs[0])?.shape;
  const weight = ctx.info(node.inputs[1])?.shape;
  const dtype = ctx.info(node.inputs[0])?.dtype;
  if (x === undefined || weight === undefined) return [{ dtype }];
  const group = attrInt(node, 'group', 1);
  const channels = typeof weight[1] === 'number' ? weight[1] * group : null;
  const spatial = x.length - 2;
  const outputShape = attrInts(node, 'output_shape');
  if (outputShape !== undefined) return [{ dtype, shape: [x[0], channels, ...outputShape.slice(-spatial)] }];
  const kernel = attrInts(node, 'kernel_shape') ?? weight.slice(2);
  const w = windowOf(node, spatial, kernel.map((k) => (typeof k === 'number' ? k : NaN)));
  const outputPadding = attrInts(node, 'output_padding') ?? new Array<number>(spatial).fill(0);
  const dims = x.slice(2).map((d, i): Dim => {
    if (typeof d !== 'number' || Number.isNaN(w.kernel[i])) return null;
    if (w.autoPad === 'SAME_UPPER' || w.autoPad === 'SAME_LOWER') return d * w.strides[i];
    const pads = w.autoPad === 'VALID' ? 0 : w.pads[i] + w.pads[i + spatial];
    return w.strides[i] * (d - 1) + outputPadding[i] + (w.kernel[i] - 1) * w.dilations[i] + 1 - pads;
  });
  return [{ dtype, shape: [x[0], channels, ...dims] }];
};

const pool: ShapeRule = (node, ctx) => {
  const info = ctx.info(node.inputs[0]);
  const x = info?.shape;
  if (x === undefined) return [{ dtype: info?.dtype }, { dtype: 'int64' }];
  const kernel = attrInts(node, 'kernel_shape');
  if (kernel === undefined) throw new ShapeError(`${ctx.what}: ${node.opType} needs a kernel_shape attribute`);
  const shape = [x[0], x[1], ...spatialShape(x, windowOf(node, kernel.length, kernel), true, ctx.what)];
  return [{ dtype: info?.dtype, shape }, { dtype: 'int64', shape }];
};

const globalPool: ShapeRule = (node, ctx) => {
  const info = ctx.info(node.inputs[0]);
  const x = info?.shape;
  return [{ dtype: info?.dtype, ...(x ? { shape: [x[0], x[1], ...x.slice(2).map(() => 1)] } : {}) }];
};

export const convRules: Readonly<Record<string, ShapeRule>> = {
  Conv: convLike((node, ctx) => ctx.info(node.inputs[0])?.dtype),
  ConvInteger: convLike(() => 'int32'),
  QLinearConv: convLike((node, ctx) => ctx.info(node.inputs[7])?.dtype ?? ctx.info(node.inputs[0])?.dtype, 0, 3),
  ConvTranspose: convTranspose,
  MaxPool: pool,
  AveragePool: pool,
  LpPool: pool,
  GlobalAveragePool: globalPool,
  GlobalMaxPool: globalPool,
  GlobalLpPool: globalPool,
};
