/**
 * ConvTranspose (ONNX ConvTranspose-22), the adjoint of Conv: every input element X[n, c, i]
 * scatters X·W[c, m', k] to Y[n, m, i·s + k·d − padBegin], plus the bias. Output size, pads,
 * output_padding, output_shape and auto_pad follow window.ts (convTransposeWindow).
 *
 * Per image and group: col = W_gᵀ · X_g with the blocked GEMM (rows (m', k), columns the input
 * positions), then col2im sums the columns into the output image. The reference is
 * conv-transpose-reference.ts (plain scatter loops, same signature).
 */
import { ShapeError } from '../../../errors.ts';
import { attrInt } from '../../../ir/attributes.ts';
import type { Node } from '../../../ir/graph.ts';
import { formatShape, shapeSize, type Tensor } from '../../../ir/tensor.ts';
import type { KernelConfig } from '../../kernel.ts';
import { gemm } from './blas.ts';
import { addBias, type ConvDims } from './conv.ts';
import { col2im, im2colRows } from './im2col.ts';
import { allocateFloat, floatInput, floatResult, optionalFloatInput, sameFloatInput, type FloatArray } from './float-io.ts';
import { nodeLabel } from './node-io.ts';
import { convTransposeWindow, outputSpatialShape, type Window } from './window.ts';

/**
 * Writes the transposed convolution of x (N × C × input) with w (C × M/group × kernel) plus the
 * optional bias (M) into y (N × M × output), which is overwritten.
 */
export function convTransposeImpl(x: FloatArray, w: FloatArray, bias: FloatArray | undefined, dims: ConvDims, window: Window, y: FloatArray): void {
  const { batch, channels, featureMaps, group } = dims;
  const groupChannels = channels / group;
  const groupMaps = featureMaps / group;
  const inSize = window.input[0] * window.input[1] * window.input[2];
  const outSize = window.output[0] * window.output[1] * window.output[2];
  const rows = im2colRows(groupMaps, window);
  const col = x instanceof Float32Array ? new Float32Array(rows * inSize) : new Float64Array(rows * inSize);
  y.fill(0);
  for (let n = 0; n < batch; n++) {
    for (let g = 0; g < group; g++) {
      const xGroup = x.subarray((n * channels + g * groupChannels) * inSize);
      gemm(true, false, rows, inSize, groupChannels, 1, w.subarray(g * groupChannels * rows), rows, xGroup, inSize, 0, col, inSize);
      col2im(col, groupMaps, window, y, (n * featureMaps + g * groupMaps) * outSize);
    }
  }
  if (bias !== undefined) addBias(y, bias, batch, featureMaps, outSize);
}

function convTransposeDims(node: Node, x: Tensor, w: Tensor, bias: Tensor | undefined): ConvDims {
  const label = nodeLabel(node);
  if (x.shape.length < 3) throw new ShapeError(`${label}: input X has shape ${formatShape(x.shape)}; ConvTranspose needs N × C × spatial`);
  if (w.shape.length !== x.shape.length) throw new ShapeError(`${label}: weight W has shape ${formatShape(w.shape)}, X ${formatShape(x.shape)}: ranks differ`);
  const group = attrInt(node, 'group', 1);
  const [batch, channels] = x.shape;
  if (!Number.isInteger(group) || group < 1 || channels % group !== 0) throw new ShapeError(`${label}: group ${group} must divide the ${channels} input channels`);
  if (w.shape[0] !== channels) throw new ShapeError(`${label}: weight W has shape ${formatShape(w.shape)}; its first axis must be the ${channels} input channels`);
  const featureMaps = w.shape[1] * group;
  if (bias !== undefined && (bias.shape.length !== 1 || bias.shape[0] !== featureMaps)) {
    throw new ShapeError(`${label}: bias B has shape ${formatShape(bias.shape)}, expected [${featureMaps}]`);
  }
  return { batch, channels, featureMaps, group };
}

function convTranspose(inputs: readonly (Tensor | undefined)[], node: Node): Tensor[] {
  const x = floatInput(inputs, 0, node, 'X');
  const w = sameFloatInput(inputs, 1, node, 'W', x.dtype);
  const bias = optionalFloatInput(inputs, 2, node, 'B', x.dtype);
  const dims = convTransposeDims(node, x, w, bias);
  const window = convTransposeWindow(node, x.shape.slice(2), w.shape.slice(2));
  const shape = [dims.batch, dims.featureMaps, ...outputSpatialShape(window)];
  const y = allocateFloat(x.dtype, shapeSize(shape, undefined, `${nodeLabel(node)} output`));
  convTransposeImpl(x.data, w.data, bias?.data, dims, window, y);
  return [floatResult(x.dtype, shape, y)];
}

export const convTransposeConfig: KernelConfig = { op: 'ConvTranspose', impl: convTranspose };
