/**
 * MaxPool, AveragePool and GlobalAveragePool.
 *   MaxPool: each output's gradient goes to the input element that won the window (the index the
 *   float kernel's maxPoolImpl reports); ties went to the first, as in the forward.
 *   AveragePool: each output's gradient is shared equally, 1/count each, by the taps of its window
 *   inside the input (count as the forward divides: with or without the padding).
 *   GlobalAveragePool: ∂L/∂X[n, c, ·] = ∂L/∂Y[n, c] / (spatial size).
 */
import { attrInt } from '../../../ir/attributes.ts';
import type { Node } from '../../../ir/graph.ts';
import { tensor, type Tensor } from '../../../ir/tensor.ts';
import type { FloatArray } from '../../../runtime/kernels/float/float-io.ts';
import { averageWindows, maxPoolImpl } from '../../../runtime/kernels/float/pool.ts';
import { outputSpatialShape, poolWindow, tapRanges, type Window } from '../../../runtime/kernels/float/window.ts';
import type { GradOp, OpRecord } from '../grad-op.ts';
import { floatForward, zerosLike } from './kernels.ts';

function maxPool(inputs: readonly (Tensor | undefined)[], node: Node): OpRecord {
  const x = inputs[0]!;
  const window = poolWindow(node, x.shape.slice(2));
  const planes = x.shape[0] * x.shape[1];
  const shape = [x.shape[0], x.shape[1], ...outputSpatialShape(window)];
  const y = tensor(x.dtype, shape);
  const indices = new Float64Array(y.data.length);
  maxPoolImpl(x.data, planes, window, y.data, indices);
  // An Indices output (and its storage order) is the float kernel's business.
  const outputs = node.outputs.length > 1 && node.outputs[1] !== '' ? floatForward(inputs, node) : [y];
  return {
    outputs,
    backward([gy]) {
      const dx = zerosLike(x);
      const g = gy!.data;
      for (let i = 0; i < indices.length; i++) if (indices[i] >= 0) dx.data[indices[i]] += g[i];
      return [dx];
    },
  };
}

/** 1/count per output position of one plane: the divisor the forward used. */
function inverseCounts(window: Window, countIncludePad: boolean, like: FloatArray): FloatArray {
  const plane = new (like.constructor as Float32ArrayConstructor)(window.input[0] * window.input[1] * window.input[2]);
  const weight = new (like.constructor as Float32ArrayConstructor)(window.output[0] * window.output[1] * window.output[2]);
  averageWindows(plane, 1, window, countIncludePad, (yi, _sum, _taps, count) => {
    weight[yi] = count > 0 ? 1 / count : 0;
  });
  return weight;
}

/** Scatters dy[o]·weight[o] to the in-input taps of each output's window, plane by plane. */
function averagePoolBackward(dy: FloatArray, planes: number, window: Window, weight: FloatArray, dx: FloatArray): void {
  const [iD, iH, iW] = window.input;
  const [oD, oH, oW] = window.output;
  const [sD, sH, sW] = window.strides;
  const [dD, dH, dW] = window.dilations;
  const [pD, pH, pW] = window.padBegin;
  const [rd, rh, rw] = [0, 1, 2].map((axis) => tapRanges(window, axis));
  const inSize = iD * iH * iW;
  const outSize = oD * oH * oW;
  for (let plane = 0; plane < planes; plane++) {
    const base = plane * inSize;
    let o = 0;
    for (let od = 0; od < oD; od++) {
      for (let oh = 0; oh < oH; oh++) {
        for (let ow = 0; ow < oW; ow++, o++) {
          const share = dy[plane * outSize + o] * weight[o];
          for (let kd = rd[2 * od]; kd < rd[2 * od + 1]; kd++) {
            const id = od * sD + kd * dD - pD;
            for (let kh = rh[2 * oh]; kh < rh[2 * oh + 1]; kh++) {
              const row = base + (id * iH + oh * sH + kh * dH - pH) * iW + ow * sW - pW;
              for (let kw = rw[2 * ow]; kw < rw[2 * ow + 1]; kw++) dx[row + kw * dW] += share;
            }
          }
        }
      }
    }
  }
}

function averagePool(inputs: readonly (Tensor | undefined)[], node: Node): OpRecord {
  const outputs = floatForward(inputs, node);
  const x = inputs[0]!;
  return {
    outputs,
    backward([gy]) {
      const window = poolWindow(node, x.shape.slice(2));
      const dx = zerosLike(x);
      const weight = inverseCounts(window, attrInt(node, 'count_include_pad', 0) !== 0, dx.data as FloatArray);
      averagePoolBackward(gy!.data as FloatArray, x.shape[0] * x.shape[1], window, weight, dx.data as FloatArray);
      return [dx];
    },
  };
}

function globalAveragePool(inputs: readonly (Tensor | undefined)[], node: Node): OpRecord {
  const outputs = floatForward(inputs, node);
  const x = inputs[0]!;
  return {
    outputs,
    backward([gy]) {
      const dx = zerosLike(x);
      const planes = x.shape[0] * x.shape[1];
      const plane = dx.data.length / planes;
      const g = gy!.data;
      for (let p = 0; p < planes; p++) dx.data.fill(g[p] / plane, p * plane, (p + 1) * plane);
      return [dx];
    },
  };
}

export const poolGrads: readonly GradOp[] = [
  { op: 'MaxPool', forward: maxPool },
  { op: 'AveragePool', forward: averagePool },
  { op: 'GlobalAveragePool', forward: globalAveragePool },
];
