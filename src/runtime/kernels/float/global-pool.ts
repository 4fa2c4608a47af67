/**
 * GlobalAveragePool and GlobalMaxPool (ONNX-22): pool each N·C plane over all its spatial axes;
 * the output keeps the rank with every spatial axis of size 1.
 */
import { ShapeError } from '../../../errors.ts';
import type { Node } from '../../../ir/graph.ts';
import { formatShape, type Tensor } from '../../../ir/tensor.ts';
import type { KernelConfig } from '../../kernel.ts';
import { allocateFloat, floatInput, floatResult, type FloatArray } from './float-io.ts';
import { nodeLabel } from './node-io.ts';

/** y[p] = mean (or max, NaN skipped unless all NaN) of x[p·plane .. (p+1)·plane). */
export function globalPoolImpl(x: FloatArray, planes: number, plane: number, kind: 'average' | 'max', y: FloatArray): void {
  for (let p = 0; p < planes; p++) {
    const start = p * plane;
    if (kind === 'average') {
      let sum = 0;
      for (let i = start; i < start + plane; i++) sum += x[i];
      y[p] = sum / plane;
    } else {
      let best = NaN;
      for (let i = start; i < start + plane; i++) {
        const v = x[i];
        if (v > best || best !== best) best = v;
      }
      y[p] = best;
    }
  }
}

function globalPool(kind: 'average' | 'max') {
  return (inputs: readonly (Tensor | undefined)[], node: Node): Tensor[] => {
    const x = floatInput(inputs, 0, node, 'X');
    if (x.shape.length < 2) throw new ShapeError(`${nodeLabel(node)}: input X has shape ${formatShape(x.shape)}; needs N × C × spatial`);
    const planes = x.shape[0] * x.shape[1];
    const plane = x.shape.slice(2).reduce((a, b) => a * b, 1);
    if (plane === 0) throw new ShapeError(`${nodeLabel(node)}: input X has shape ${formatShape(x.shape)}: empty spatial axes`);
    const y = allocateFloat(x.dtype, planes);
    globalPoolImpl(x.data, planes, plane, kind, y);
    return [floatResult(x.dtype, [x.shape[0], x.shape[1], ...x.shape.slice(2).map(() => 1)], y)];
  };
}

export const globalAveragePoolConfig: KernelConfig = { op: 'GlobalAveragePool', impl: globalPool('average') };
export const globalMaxPoolConfig: KernelConfig = { op: 'GlobalMaxPool', impl: globalPool('max') };
