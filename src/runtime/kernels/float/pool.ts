/**
 * MaxPool (ONNX MaxPool-22) and AveragePool (AveragePool-22) over 1-D, 2-D and 3-D windows with
 * strides, pads, auto_pad, dilations and ceil_mode (geometry in window.ts).
 *
 * MaxPool takes the largest value among the taps inside the input (padding never wins, NaN is
 * skipped) and can return Indices: the flat position of the max in X, counting from the start
 * of X (so including the batch and channel offset), row-major or, with storage_order = 1,
 * column-major over the spatial axes. AveragePool divides by the number of taps inside the
 * input, or with count_include_pad by the taps inside the padded input (taps that only a
 * ceil_mode window reaches beyond the end padding are never counted).
 * 8-bit 2-D max pooling runs in wasm where it is available (src/runtime/wasm/pool.ts), with the
 * values of maxPool2d.
 */
import { ShapeError } from '../../../errors.ts';
import { allocate, type DType, type TensorData } from '../../../ir/dtype.ts';
import { attrInt } from '../../../ir/attributes.ts';
import type { Node } from '../../../ir/graph.ts';
import { formatShape, shapeSize, tensor, type Tensor } from '../../../ir/tensor.ts';
import type { KernelConfig } from '../../kernel.ts';
import { floatInput, floatResult, allocateFloat, type FloatArray } from './float-io.ts';
import { FLOAT_TYPES, nodeLabel, requireDtype, requireInput } from './node-io.ts';
import { intWindow } from './small-int.ts';
import { outputSpatialShape, poolWindow, strideRange, tapRanges, type Window } from './window.ts';
import { wasmKernels } from '../../wasm/index.ts';
import { maxPool8 } from '../../wasm/pool.ts';

/** MaxPool takes 8-bit integers too (MaxPool-12 and later). */
const MAX_POOL_TYPES: ReadonlySet<DType> = new Set([...FLOAT_TYPES, 'int8', 'uint8']);

/**
 * Max pooling of `planes` (N·C) planes of x into y; when `indices` is given it receives the
 * flat index in x of each chosen element (−1 if a window holds no input tap).
 */
export function maxPoolImpl(x: TensorData, planes: number, window: Window, y: TensorData, indices?: Float64Array, columnMajor = false): void {
  const [iD, iH, iW] = window.input;
  const [oD, oH, oW] = window.output;
  const [sD, sH, sW] = window.strides;
  const [dD, dH, dW] = window.dilations;
  const [pD, pH, pW] = window.padBegin;
  const rangesD = tapRanges(window, 0);
  const rangesH = tapRanges(window, 1);
  const rangesW = tapRanges(window, 2);
  const inSize = iD * iH * iW;
  let yi = 0;
  for (let plane = 0; plane < planes; plane++) {
    const base = plane * inSize;
    for (let od = 0; od < oD; od++) {
      const kd0 = rangesD[2 * od], kd1 = rangesD[2 * od + 1];
      for (let oh = 0; oh < oH; oh++) {
        const kh0 = rangesH[2 * oh], kh1 = rangesH[2 * oh + 1];
        for (let ow = 0; ow < oW; ow++) {
          const kw0 = rangesW[2 * ow], kw1 = rangesW[2 * ow + 1];
          let best = -Infinity;
          let bestAt = -1;
          for (let kd = kd0; kd < kd1; kd++) {
            const id = od * sD + kd * dD - pD;
            for (let kh = kh0; kh < kh1; kh++) {
              const row = (id * iH + oh * sH + kh * dH - pH) * iW + ow * sW - pW;
              for (let kw = kw0; kw < kw1; kw++) {
                const v = x[base + row + kw * dW];
                if (v > best || bestAt < 0) {
                  if (v !== v) continue; // NaN never wins
                  best = v;
                  bestAt = row + kw * dW;
                }
              }
            }
          }
          y[yi] = best;
          if (indices !== undefined) indices[yi] = bestAt < 0 ? -1 : base + (columnMajor ? transposeIndex(bestAt, iD, iH, iW) : bestAt);
          yi++;
        }
      }
    }
  }
}

/** True when `maxPool2d` handles the window: no depth axis in use and no dilation. */
export function isMaxPool2d(window: Window): boolean {
  return window.input[0] === 1 && window.output[0] === 1 && window.kernel[0] === 1 && window.padBegin[0] === 0 && window.dilations.every((d) => d === 1);
}

/**
 * Max pooling of `planes` planes of x into y for windows `isMaxPool2d` accepts; the values of
 * `maxPoolImpl` without its per-tap bookkeeping: each window is the rectangle of input rows
 * [h0, h1) × columns [w0, w1) it covers (clipped to the input), and `v > best` from −∞ skips
 * NaN and padding exactly as the general loop does (an all-NaN or empty window gives −∞).
 * A 2×2 stride-2 window with no padding, the classic downsampling, is unrolled.
 */
export function maxPool2d(x: TensorData, planeCount: number, geometry: Window, y: TensorData): void {
  const window = intWindow(geometry);
  const planes = planeCount | 0;
  const [, iH, iW] = window.input;
  const [, oH, oW] = window.output;
  const [, kH, kW] = window.kernel;
  const [, sH, sW] = window.strides;
  const [, pH, pW] = window.padBegin;
  const inSize = iH * iW;
  if (kH === 2 && kW === 2 && sH === 2 && sW === 2 && pH === 0 && pW === 0 && 2 * oH <= iH && 2 * oW <= iW) {
    maxPool2x2(x, planes, iH, iW, oH, oW, y);
    return;
  }
  let yi = 0;
  for (let plane = 0; plane < planes; plane++) {
    const base = plane * inSize;
    for (let oh = 0; oh < oH; oh++) {
      const h0 = Math.max(0, oh * sH - pH);
      const h1 = Math.min(iH, oh * sH - pH + kH);
      for (let ow = 0; ow < oW; ow++) {
        const w0 = Math.max(0, ow * sW - pW);
        const w1 = Math.min(iW, ow * sW - pW + kW);
        let best = -Infinity;
        for (let h = h0; h < h1; h++) {
          const row = base + h * iW;
          for (let i = row + w0; i < row + w1; i++) {
            const v = x[i];
            if (v > best) best = v;
          }
        }
        y[yi++] = best;
      }
    }
  }
}

function maxPool2x2(x: TensorData, planes: number, iH: number, iW: number, oH: number, oW: number, y: TensorData): void {
  let yi = 0;
  for (let plane = 0; plane < planes; plane++) {
    for (let oh = 0; oh < oH; oh++) {
      let top = plane * iH * iW + 2 * oh * iW;
      let bottom = top + iW;
      for (let ow = 0; ow < oW; ow++, top += 2, bottom += 2) {
        let best = -Infinity;
        let v = x[top];
        if (v > best) best = v;
        v = x[top + 1];
        if (v > best) best = v;
        v = x[bottom];
        if (v > best) best = v;
        v = x[bottom + 1];
        if (v > best) best = v;
        y[yi++] = best;
      }
    }
  }
}

/** Row-major spatial index (d, h, w) → column-major index d + D·(h + H·w). */
function transposeIndex(index: number, iD: number, iH: number, iW: number): number {
  const w = index % iW;
  const h = Math.floor(index / iW) % iH;
  const d = Math.floor(index / (iW * iH));
  return d + iD * (h + iH * w);
}

/** Per output position along `axis`: how many taps lie inside the padded input (count_include_pad). */
export function paddedTapCounts(window: Window, axis: number): Int32Array {
  const padded = window.input[axis] + window.padBegin[axis] + window.padEnd[axis];
  const counts = new Int32Array(window.output[axis]);
  for (let o = 0; o < counts.length; o++) {
    const [lo, hi] = strideRange(window.kernel[axis], padded, window.dilations[axis], o * window.strides[axis]);
    counts[o] = hi - lo;
  }
  return counts;
}

/**
 * Walks every averaging window of `planes` (N·C) planes of x: `visit(yi, sum, taps, count)` gets
 * the output index, the sum of the window's taps inside the input, their number, and the divisor —
 * the same taps, or with count_include_pad the taps inside the padded input. Tap ranges are
 * precomputed per axis, so there is no bounds test per tap. Shared by the float AveragePool and
 * the integer QLinearAveragePool, which differ only in what they do with a sum.
 */
export function averageWindows(x: ArrayLike<number>, planes: number, window: Window, countIncludePad: boolean, visit: (yi: number, sum: number, taps: number, count: number) => void): void {
  const [iD, iH, iW] = window.input;
  const [oD, oH, oW] = window.output;
  const [sD, sH, sW] = window.strides;
  const [dD, dH, dW] = window.dilations;
  const [pD, pH, pW] = window.padBegin;
  const rangesD = tapRanges(window, 0);
  const rangesH = tapRanges(window, 1);
  const rangesW = tapRanges(window, 2);
  const paddedD = paddedTapCounts(window, 0);
  const paddedH = paddedTapCounts(window, 1);
  const paddedW = paddedTapCounts(window, 2);
  const inSize = iD * iH * iW;
  let yi = 0;
  for (let plane = 0; plane < planes; plane++) {
    const base = plane * inSize;
    for (let od = 0; od < oD; od++) {
      const kd0 = rangesD[2 * od], kd1 = rangesD[2 * od + 1];
      for (let oh = 0; oh < oH; oh++) {
        const kh0 = rangesH[2 * oh], kh1 = rangesH[2 * oh + 1];
        for (let ow = 0; ow < oW; ow++) {
          const kw0 = rangesW[2 * ow], kw1 = rangesW[2 * ow + 1];
          let sum = 0;
          for (let kd = kd0; kd < kd1; kd++) {
            const id = od * sD + kd * dD - pD;
            for (let kh = kh0; kh < kh1; kh++) {
              const row = base + (id * iH + oh * sH + kh * dH - pH) * iW + ow * sW - pW;
              for (let kw = kw0; kw < kw1; kw++) sum += x[row + kw * dW];
            }
          }
          const taps = (kd1 - kd0) * (kh1 - kh0) * (kw1 - kw0);
          visit(yi++, sum, taps, countIncludePad ? paddedD[od] * paddedH[oh] * paddedW[ow] : taps);
        }
      }
    }
  }
}

/** Average pooling of `planes` (N·C) planes of x into y. */
export function averagePoolImpl(x: FloatArray, planes: number, window: Window, countIncludePad: boolean, y: FloatArray): void {
  averageWindows(x, planes, window, countIncludePad, (yi, sum, _taps, count) => {
    y[yi] = count > 0 ? sum / count : NaN;
  });
}

function poolInput(x: Tensor, node: Node): void {
  if (x.shape.length < 3) throw new ShapeError(`${nodeLabel(node)}: input X has shape ${formatShape(x.shape)}; pooling needs N × C × spatial`);
}

function maxPool(inputs: readonly (Tensor | undefined)[], node: Node): Tensor[] {
  const label = nodeLabel(node);
  const x = requireInput(inputs, 0, node, 'X');
  requireDtype(x, MAX_POOL_TYPES, label, 'X');
  poolInput(x, node);
  const window = poolWindow(node, x.shape.slice(2));
  const shape = [x.shape[0], x.shape[1], ...outputSpatialShape(window)];
  const size = shapeSize(shape, undefined, `${label} output`);
  const y = allocate(x.dtype, size);
  const wantIndices = node.outputs.length > 1 && node.outputs[1] !== '';
  const indices = wantIndices ? new Float64Array(size) : undefined;
  const backend = wasmKernels();
  const bytes = x.data instanceof Uint8Array || x.data instanceof Int8Array;
  if (indices === undefined && isMaxPool2d(window) && bytes && backend !== undefined) maxPool8(backend, x.data as Uint8Array | Int8Array, x.shape[0] * x.shape[1], window, y as Uint8Array | Int8Array);
  else if (indices === undefined && isMaxPool2d(window)) maxPool2d(x.data, x.shape[0] * x.shape[1], window, y);
  else maxPoolImpl(x.data, x.shape[0] * x.shape[1], window, y, indices, attrInt(node, 'storage_order', 0) === 1);
  const outputs = [tensor(x.dtype, shape, y)];
  if (indices !== undefined) outputs.push(tensor('int64', shape, indices));
  return outputs;
}

function averagePool(inputs: readonly (Tensor | undefined)[], node: Node): Tensor[] {
  const x = floatInput(inputs, 0, node, 'X');
  poolInput(x, node);
  const window = poolWindow(node, x.shape.slice(2));
  const shape = [x.shape[0], x.shape[1], ...outputSpatialShape(window)];
  const y = allocateFloat(x.dtype, shapeSize(shape, undefined, `${nodeLabel(node)} output`));
  averagePoolImpl(x.data, x.shape[0] * x.shape[1], window, attrInt(node, 'count_include_pad', 0) !== 0, y);
  return [floatResult(x.dtype, shape, y)];
}

export const maxPoolConfig: KernelConfig = { op: 'MaxPool', impl: maxPool };
export const averagePoolConfig: KernelConfig = { op: 'AveragePool', impl: averagePool };
