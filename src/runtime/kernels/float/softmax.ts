/**
 * Softmax and LogSoftmax (ONNX-13 and later: one axis, default −1):
 *   softmax(x)_i = exp(x_i − max) / Σ_j exp(x_j − max),  logsoftmax(x)_i = x_i − max − log Σ_j exp(x_j − max)
 * along `axis`. Subtracting the max keeps exp from overflowing (large logits stay finite).
 */
import { attrInt } from '../../../ir/attributes.ts';
import type { Node } from '../../../ir/graph.ts';
import type { Tensor } from '../../../ir/tensor.ts';
import type { KernelConfig } from '../../kernel.ts';
import { allocateFloat, floatInput, floatResult, type FloatArray } from './float-io.ts';
import { nodeLabel, normalizeAxis } from './node-io.ts';

/**
 * Softmax (or log-softmax) of x viewed as outer × axisLength × inner along the middle axis.
 * Accumulates in float64.
 */
export function softmaxImpl(x: FloatArray, outer: number, axisLength: number, inner: number, log: boolean, y: FloatArray): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const start = o * axisLength * inner + i;
      const end = start + axisLength * inner;
      let max = -Infinity;
      for (let j = start; j < end; j += inner) if (x[j] > max) max = x[j];
      let sum = 0;
      for (let j = start; j < end; j += inner) sum += Math.exp(x[j] - max);
      if (log) {
        const shift = max + Math.log(sum);
        for (let j = start; j < end; j += inner) y[j] = x[j] - shift;
      } else {
        for (let j = start; j < end; j += inner) y[j] = Math.exp(x[j] - max) / sum;
      }
    }
  }
}

function softmax(log: boolean) {
  return (inputs: readonly (Tensor | undefined)[], node: Node): Tensor[] => {
    const x = floatInput(inputs, 0, node, 'input');
    const rank = x.shape.length;
    const axis = normalizeAxis(attrInt(node, 'axis', -1), Math.max(rank, 1), nodeLabel(node));
    const axisLength = rank === 0 ? 1 : x.shape[axis];
    const outer = x.shape.slice(0, axis).reduce((a, b) => a * b, 1);
    const inner = x.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
    const y = allocateFloat(x.dtype, x.data.length);
    softmaxImpl(x.data, outer, axisLength, inner, log, y);
    return [floatResult(x.dtype, x.shape, y)];
  };
}

export const softmaxConfig: KernelConfig = { op: 'Softmax', impl: softmax(false) };
export const logSoftmaxConfig: KernelConfig = { op: 'LogSoftmax', impl: softmax(true) };
