/**
 * QLinearConv (ONNX QLinearConv-10) in integer arithmetic: y = saturate(z_y +
 * M·(Σ (x − z_x)(w − z_w[m]) + B[m])), M[m] = s_x·s_w[m]/s_y as a fixed-point multiplier
 * computed once per node, docs/QUANTIZATION.md eqs. (10)–(14), (18) — no float arithmetic at run
 * time.
 *
 * x: int8/uint8 (int4/uint4 held unpacked too), per-tensor scale and zero point; w: the same
 * types, per-tensor or per-output-channel scale and zero point (int4-valued weights may be held in
 * int8); y: the type of y_zero_point (else x's); B: optional int32 of M elements. Geometry
 * (pads, strides, dilations, group, auto_pad) is Conv's (float/window.ts).
 *
 * Paths, all the same integer GEMM Y_g = W_g·X̂_g per image and group with the zero-point
 * corrections of eq. (11):
 *  - pointwise (1×1, stride 1, no pads): X̂ is the input planes, packed directly;
 *  - depthwise (one input channel per group): the direct loop of depthwise.ts;
 *  - otherwise: im2col packed straight into GEMM panels (im2col-pack.ts), padding z_x.
 * Weights are packed (with row sums) once per node. qlinear-conv-reference.ts is the plain loop.
 * Where WebAssembly SIMD runs, the same paths run in wasm (src/runtime/wasm/conv.ts: im2col
 * panels from zero-point-padded planes, the int8 GEMM with the output stage fused, the direct
 * depthwise loop) with identical results; weights are then packed once more, in the wasm layout.
 */
import { ShapeError } from '../../../errors.ts';
import type { Node } from '../../../ir/graph.ts';
import { formatShape, tensor, type Tensor } from '../../../ir/tensor.ts';
import { requantizeMultipliers } from '../../../quant/requantize.ts';
import type { KernelConfig } from '../../kernel.ts';
import { convDims } from '../float/conv.ts';
import { im2colRows } from '../float/im2col.ts';
import { nodeLabel, requireDtype } from '../float/node-io.ts';
import { convWindow, outputSpatialShape } from '../float/window.ts';
import { namingNode } from '../quant/quant-io.ts';
import { checkAccumulatorBound, maxCentered, maxCenteredOfType } from './accumulator-bound.ts';
import { convSizes, type ConvOperands } from './conv-operands.ts';
import { depthwiseConv } from './depthwise.ts';
import { correctZeroPoints, denseView, igemmPacked, packA, packB, type PackedOperand } from './igemm.ts';
import { packIm2col } from './im2col-pack.ts';
import { checkInputCount, dtypeRange, integerInput, type IntegerTensor, outputZeroPoint, requireChannels, scaleValues, tensorScale, zeroPointValues } from './operands.ts';
import { outputStage, requantizeRows, type OutputStage, type QuantizedOutput } from '../../../quant/output-stage.ts';
import { prepared } from './prepare-cache.ts';
import { wasmKernels, type WasmBackend } from '../../wasm/index.ts';
import { int8Conv } from '../../wasm/conv.ts';
import { isByteOutput, packOperand, type WasmPackedOperand } from '../../wasm/int8-gemm.ts';

/** Weights in the wasm layout, per TypeScript-packed weights (the node's prepared ones) or per call. */
const wasmWeightCache = new WeakMap<readonly PackedOperand[], WasmPackedOperand[]>();

function wasmWeights(backend: WasmBackend, op: Pick<ConvOperands, 'w' | 'dims' | 'window'>, weights: readonly PackedOperand[] | undefined): WasmPackedOperand[] {
  const cached = weights === undefined ? undefined : wasmWeightCache.get(weights);
  if (cached !== undefined) return cached;
  const { featureMaps, channels, group } = op.dims;
  const maps = featureMaps / group;
  const k = im2colRows(channels / group, op.window);
  const packed = Array.from({ length: group }, (_, g) => packOperand(backend, denseView(op.w, g * maps * k, k), 'rows', maps, k));
  if (weights !== undefined) wasmWeightCache.set(weights, packed);
  return packed;
}

/** True when the convolution takes the depthwise direct path. */
export function isDepthwise(op: Pick<ConvOperands, 'dims'>): boolean {
  return op.dims.group > 1 && op.dims.channels === op.dims.group;
}

/** W_g (M/group × K) of every group, packed as GEMM A operands with their row sums. */
export function packConvWeights(op: Pick<ConvOperands, 'w' | 'dims' | 'window'>): PackedOperand[] {
  const { featureMaps, channels, group } = op.dims;
  const maps = featureMaps / group;
  const k = im2colRows(channels / group, op.window);
  return Array.from({ length: group }, (_, g) => packA(denseView(op.w, g * maps * k, k), maps, k));
}

/**
 * y (N × M × output, row-major) of the quantized convolution `op`. `weights` are the packed
 * weights of packConvWeights (packed here when omitted; unused on the depthwise path).
 */
export function qlinearConvImpl(op: ConvOperands, y: QuantizedOutput, weights?: readonly PackedOperand[]): void {
  const backend = wasmKernels();
  if (backend !== undefined && isByteOutput(y) && !isDepthwise(op)) {
    int8Conv(backend, op, y, wasmWeights(backend, op, weights));
    return;
  }
  if (isDepthwise(op)) {
    depthwiseConv(op, y);
    return;
  }
  const { x, xZero, wZero, bias, dims, window, stage } = op;
  const { batch, channels, featureMaps, group } = dims;
  const groupChannels = channels / group;
  const maps = featureMaps / group;
  const { outSize, inSize } = convSizes(window);
  const k = im2colRows(groupChannels, window);
  const packed = weights ?? packConvWeights(op);
  const pointwise = k === groupChannels && inSize === outSize && window.padBegin.every((p) => p === 0) && window.strides.every((s) => s === 1);
  const weightZeros = wZero.some((z) => z !== 0);
  const xZeros = [xZero];
  const acc = new Int32Array(maps * outSize);
  for (let n = 0; n < batch; n++) {
    for (let g = 0; g < group; g++) {
      const xOffset = (n * channels + g * groupChannels) * inSize;
      const columns = pointwise ? packB(denseView(x, xOffset, inSize), groupChannels, outSize) : packIm2col(x, xOffset, groupChannels, window, xZero, weightZeros);
      igemmPacked(packed[g], columns, acc, 0, outSize);
      const zw = wZero.length > 1 ? wZero.subarray(g * maps, (g + 1) * maps) : wZero;
      correctZeroPoints(acc, 0, outSize, maps, outSize, k, packed[g].sums, zw, columns.sums, xZeros); // eq. (11)
      if (bias !== undefined) addRowBias(acc, bias, g * maps, maps, outSize); // eq. (13)
      requantizeRows(stage, acc, 0, y, (n * featureMaps + g * maps) * outSize, maps, outSize, g * maps); // eq. (18)
    }
  }
}

/** acc[r, :] += bias[first + r] (int32, wrapping). */
function addRowBias(acc: Int32Array, bias: Int32Array, first: number, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const b = bias[first + r];
    for (let i = r * cols; i < (r + 1) * cols; i++) acc[i] = (acc[i] + b) | 0;
  }
}

/** What a QLinearConv node computes with besides x: fixed per node unless its inputs change. */
interface PreparedConv {
  readonly wZero: Int32Array;
  readonly bias: Int32Array | undefined;
  readonly stage: OutputStage;
  readonly yDtype: Tensor['dtype'];
  readonly weights: readonly PackedOperand[] | undefined;
}

function prepareConv(inputs: readonly (Tensor | undefined)[], node: Node, x: Tensor, xZero: number, w: IntegerTensor, op: Pick<ConvOperands, 'dims' | 'window'>): PreparedConv {
  const label = nodeLabel(node);
  const { featureMaps, channels, group } = op.dims;
  const xScale = tensorScale(inputs, 1, node, 'x_scale');
  const wScale = scaleValues(inputs, 4, node, 'w_scale');
  requireChannels(node, wScale, inputs[4]?.shape ?? [], featureMaps, 'w_scale', 'output channel');
  const wZero = zeroPointValues(inputs, 5, node, 'w_zero_point', w, 'w');
  requireChannels(node, wZero, inputs[5]?.shape ?? [], featureMaps, 'w_zero_point', 'output channel');
  const yScale = tensorScale(inputs, 6, node, 'y_scale');
  const yZeroPoint = outputZeroPoint(inputs, 7, node, 'y_zero_point');
  const yDtype = yZeroPoint?.dtype ?? x.dtype;
  const bias = inputs[8];
  if (bias !== undefined) {
    requireDtype(bias, new Set(['int32']), label, 'B');
    if (bias.shape.length !== 1 || bias.shape[0] !== featureMaps) throw new ShapeError(`${label}: bias B has shape ${formatShape(bias.shape)}, expected [${featureMaps}]`);
  }
  const k = im2colRows(channels / group, op.window);
  checkAccumulatorBound(node, k, maxCenteredOfType(x.dtype, [xZero]), maxCentered(denseView(w.data, 0, k), featureMaps, k, wZero, 'row'));
  const multipliers = namingNode(node, () => requantizeMultipliers(xScale, wScale, yScale)); // eq. (14)
  const { qmin, qmax } = dtypeRange(yDtype);
  const stage = outputStage(multipliers, yZeroPoint === undefined ? 0 : yZeroPoint.data[0], qmin, qmax);
  const depthwise = isDepthwise(op);
  return {
    wZero,
    bias: bias?.data as Int32Array | undefined,
    stage,
    yDtype,
    weights: depthwise ? undefined : packConvWeights({ w: w.data, ...op }),
  };
}

function qlinearConv(inputs: readonly (Tensor | undefined)[], node: Node): Tensor[] {
  checkInputCount(inputs, node, 8, 9);
  const x = integerInput(inputs, 0, node, 'x');
  const w = integerInput(inputs, 3, node, 'w');
  const dims = convDims(node, x, w, undefined);
  const window = convWindow(node, x.shape.slice(2), w.shape.slice(2));
  const xZero = zeroPointValues(inputs, 2, node, 'x_zero_point', x, 'x', true)[0];
  // everything the preparation reads; x_zero_point by value (it only enters the accumulator bound)
  const keys = [w, inputs[1], inputs[4], inputs[5], inputs[6], inputs[7], inputs[8], x.dtype, xZero, dims.group];
  const p = prepared(node, keys, () => prepareConv(inputs, node, x, xZero, w, { dims, window }));
  const shape = [dims.batch, dims.featureMaps, ...outputSpatialShape(window)];
  const y = tensor(p.yDtype, shape, undefined, `${nodeLabel(node)} output`);
  qlinearConvImpl({ x: x.data, xZero, w: w.data, wZero: p.wZero, bias: p.bias, dims, window, stage: p.stage }, y.data as QuantizedOutput, p.weights);
  return [y];
}

export const qlinearConvConfig: KernelConfig = { op: 'QLinearConv', impl: qlinearConv };
