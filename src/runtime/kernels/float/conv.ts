/**
 * Conv (ONNX Conv-22): Y[n, m, o] = B[m] + Σ_{c ∈ group(m), k} X[n, c, o·s + k·d − padBegin] · W[m, c', k]
 * for 1-D, 2-D and 3-D inputs, with groups, dilations, strides, pads and auto_pad.
 *
 * Three fast paths, all the same GEMM Y_g = W_g · X̂ per image and group (X̂ the im2col matrix):
 *   - pointwise (1×1, stride 1, no pads): X̂ is the input itself, so the blocked sgemm runs on it;
 *   - depthwise (one input channel per group): a direct loop, since the GEMM's inner dimension
 *     would be just the kernel size;
 *   - everything else: conv-direct.ts, an implicit GEMM that reads X̂ from a padded copy of the
 *     input through offset tables instead of building it (faster than im2col + sgemm on every
 *     shape measured, from mnist-8's 1→8 and 8→16 5×5 to 256→256 3×3).
 * The reference is conv-reference.ts (plain loops, same signature). Where WebAssembly SIMD runs,
 * float32 depthwise and direct convolutions run in wasm (src/runtime/wasm/conv.ts) and the
 * pointwise GEMM through sgemm's wasm path.
 */
import { ShapeError } from '../../../errors.ts';
import { attrInt } from '../../../ir/attributes.ts';
import type { Node } from '../../../ir/graph.ts';
import { formatShape, shapeSize, type Tensor } from '../../../ir/tensor.ts';
import type { KernelConfig } from '../../kernel.ts';
import { gemm } from './blas.ts';
import { convDirect } from './conv-direct.ts';
import { im2colRows } from './im2col.ts';
import { intWindow } from './small-int.ts';
import { allocateFloat, floatInput, floatResult, optionalFloatInput, sameFloatInput, type FloatArray } from './float-io.ts';
import { nodeLabel } from './node-io.ts';
import { convWindow, outputSpatialShape, strideRange, type Window } from './window.ts';
import { wasmKernels } from '../../wasm/index.ts';
import { f32Depthwise } from '../../wasm/conv.ts';

/** Sizes of a convolution besides its window. */
export interface ConvDims {
  readonly batch: number;
  /** Input channels C. */
  readonly channels: number;
  /** Output channels M. */
  readonly featureMaps: number;
  readonly group: number;
}

/**
 * Writes the convolution of x (N × C × input) with w (M × C/group × kernel) plus the optional
 * bias (M) into y (N × M × output). All arrays are dense row-major; y is overwritten.
 */
export function convImpl(x: FloatArray, w: FloatArray, bias: FloatArray | undefined, dims: ConvDims, window: Window, y: FloatArray): void {
  const { batch, channels, featureMaps, group } = dims;
  const groupChannels = channels / group;
  const groupMaps = featureMaps / group;
  if (groupChannels === 1 && group > 1) {
    const backend = x instanceof Float32Array && w instanceof Float32Array && y instanceof Float32Array && !(bias instanceof Float64Array) ? wasmKernels() : undefined;
    if (backend !== undefined) f32Depthwise(backend, x as Float32Array, w as Float32Array, bias as Float32Array | undefined, dims, intWindow(window), y as Float32Array);
    else depthwise(x, w, bias, dims, intWindow(window), y);
    return;
  }
  const inSize = window.input[0] * window.input[1] * window.input[2];
  const outSize = window.output[0] * window.output[1] * window.output[2];
  const rows = im2colRows(groupChannels, window);
  const pointwise = rows === groupChannels && inSize === outSize && window.padBegin.every((p) => p === 0) && window.strides.every((s) => s === 1);
  if (!pointwise) {
    convDirect(x, w, bias, dims, window, y);
    return;
  }
  for (let n = 0; n < batch; n++) {
    for (let g = 0; g < group; g++) {
      const xOffset = (n * channels + g * groupChannels) * inSize;
      const yOffset = (n * featureMaps + g * groupMaps) * outSize;
      gemm(false, false, groupMaps, outSize, rows, 1, w.subarray(g * groupMaps * rows), rows, x.subarray(xOffset, xOffset + rows * outSize), outSize, 0, y.subarray(yOffset), outSize);
    }
  }
  if (bias !== undefined) addBias(y, bias, batch, featureMaps, outSize);
}

/** Y[n, m, :] += bias[m]. */
export function addBias(y: FloatArray, bias: FloatArray, batch: number, featureMaps: number, plane: number): void {
  for (let n = 0; n < batch; n++) {
    for (let m = 0; m < featureMaps; m++) {
      const b = bias[m];
      const start = (n * featureMaps + m) * plane;
      for (let i = start; i < start + plane; i++) y[i] += b;
    }
  }
}

/**
 * Direct convolution for groups of one input channel (depthwise, channel multiplier M/C), tap by
 * tap: for each kernel tap, add weight · (the shifted input row) to every output row it reaches.
 * The inner loop is one long strided multiply-add with its bounds computed once per row.
 */
function depthwise(x: FloatArray, w: FloatArray, bias: FloatArray | undefined, dims: ConvDims, window: Window, y: FloatArray): void {
  const { batch, channels, featureMaps } = dims;
  const multiplier = featureMaps / channels;
  const [iD, iH, iW] = window.input;
  const [oD, oH, oW] = window.output;
  const [kD, kH, kW] = window.kernel;
  const [sD, sH, sW] = window.strides;
  const [dD, dH, dW] = window.dilations;
  const [pD, pH, pW] = window.padBegin;
  const inSize = iD * iH * iW;
  const outSize = oD * oH * oW;
  for (let n = 0; n < batch; n++) {
    for (let m = 0; m < featureMaps; m++) {
      const xBase = (n * channels + Math.floor(m / multiplier)) * inSize;
      const yBase = (n * featureMaps + m) * outSize;
      y.fill(bias === undefined ? 0 : bias[m], yBase, yBase + outSize);
      let wi = m * kD * kH * kW;
      for (let kd = 0; kd < kD; kd++) {
        const [od0, od1] = strideRange(oD, iD, sD, kd * dD - pD);
        for (let kh = 0; kh < kH; kh++) {
          const [oh0, oh1] = strideRange(oH, iH, sH, kh * dH - pH);
          for (let kw = 0; kw < kW; kw++, wi++) {
            const [ow0, ow1] = strideRange(oW, iW, sW, kw * dW - pW);
            const weight = w[wi];
            for (let od = od0; od < od1; od++) {
              const id = od * sD + kd * dD - pD;
              for (let oh = oh0; oh < oh1; oh++) {
                let src = xBase + (id * iH + oh * sH + kh * dH - pH) * iW + ow0 * sW + kw * dW - pW;
                let dst = yBase + (od * oH + oh) * oW + ow0;
                const end = dst + (ow1 - ow0);
                for (; dst < end; dst++, src += sW) y[dst] += weight * x[src];
              }
            }
          }
        }
      }
    }
  }
}

/** Validates X, W, B of a Conv node and returns its sizes. */
export function convDims(node: Node, x: Tensor, w: Tensor, bias: Tensor | undefined): ConvDims {
  const label = nodeLabel(node);
  if (x.shape.length < 3) throw new ShapeError(`${label}: input X has shape ${formatShape(x.shape)}; Conv needs N × C × spatial`);
  if (w.shape.length !== x.shape.length) throw new ShapeError(`${label}: weight W has shape ${formatShape(w.shape)}, X ${formatShape(x.shape)}: ranks differ`);
  const group = attrInt(node, 'group', 1);
  const [batch, channels] = x.shape;
  const featureMaps = w.shape[0];
  if (!Number.isInteger(group) || group < 1 || channels % group !== 0 || featureMaps % group !== 0) {
    throw new ShapeError(`${label}: group ${group} must divide the ${channels} input channels and the ${featureMaps} output channels`);
  }
  if (w.shape[1] * group !== channels) {
    throw new ShapeError(`${label}: weight W has shape ${formatShape(w.shape)}: ${w.shape[1]} channels per group × group ${group} ≠ ${channels} input channels`);
  }
  if (bias !== undefined && (bias.shape.length !== 1 || bias.shape[0] !== featureMaps)) {
    throw new ShapeError(`${label}: bias B has shape ${formatShape(bias.shape)}, expected [${featureMaps}]`);
  }
  return { batch, channels, featureMaps, group };
}

function conv(inputs: readonly (Tensor | undefined)[], node: Node): Tensor[] {
  const x = floatInput(inputs, 0, node, 'X');
  const w = sameFloatInput(inputs, 1, node, 'W', x.dtype);
  const bias = optionalFloatInput(inputs, 2, node, 'B', x.dtype);
  const dims = convDims(node, x, w, bias);
  const window = convWindow(node, x.shape.slice(2), w.shape.slice(2));
  const shape = [dims.batch, dims.featureMaps, ...outputSpatialShape(window)];
  const y = allocateFloat(x.dtype, shapeSize(shape, undefined, `${nodeLabel(node)} output`));
  convImpl(x.data, w.data, bias?.data, dims, window, y);
  return [floatResult(x.dtype, shape, y)];
}

export const convConfig: KernelConfig = { op: 'Conv', impl: conv };
