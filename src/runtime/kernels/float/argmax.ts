/** ArgMax / ArgMin: the index of the largest / smallest element along an axis, as int64. */
import { ShapeError } from '../../../errors.ts';
import { attrInt } from '../../../ir/attributes.ts';
import { formatShape, tensor, type Tensor } from '../../../ir/tensor.ts';
import type { KernelConfig } from '../../kernel.ts';
import { nodeLabel, normalizeAxis, NUMERIC_TYPES, requireDtype, requireInput } from './node-io.ts';

/**
 * Indices of the extreme elements along `axis`; ties go to the first occurrence, or the last
 * with `selectLastIndex`. NaN never wins a comparison, so NaNs are skipped unless all are NaN.
 */
export function argExtremeImpl(op: 'ArgMax' | 'ArgMin', x: Tensor, axis = 0, keepDims = true, selectLastIndex = false, where: string = op): Tensor {
  requireDtype(x, NUMERIC_TYPES, where);
  const a = normalizeAxis(axis, x.shape.length, where);
  const dim = x.shape[a];
  const outShape = keepDims ? x.shape.map((d, i) => (i === a ? 1 : d)) : x.shape.filter((_, i) => i !== a);
  const out = tensor('int64', outShape);
  if (out.data.length === 0) return out;
  if (dim === 0) throw new ShapeError(`${where}: axis ${a} of shape ${formatShape(x.shape)} is empty`);
  const outer = x.shape.slice(0, a).reduce((p, d) => p * d, 1);
  const inner = x.shape.slice(a + 1).reduce((p, d) => p * d, 1);
  const sign = op === 'ArgMax' ? 1 : -1;
  const src = x.data;
  const dst = out.data;
  const best = new Float64Array(inner);
  for (let p = 0; p < outer; p++) {
    const base = p * dim * inner;
    const o = p * inner;
    // Compare sign·x so one loop serves both ops.
    for (let k = 0; k < inner; k++) {
      best[k] = sign * src[base + k];
      dst[o + k] = 0;
    }
    for (let j = 1; j < dim; j++) {
      const row = base + j * inner;
      for (let k = 0; k < inner; k++) {
        const v = sign * src[row + k];
        if (v > best[k] || (selectLastIndex && v === best[k]) || (best[k] !== best[k] && v === v)) {
          best[k] = v;
          dst[o + k] = j;
        }
      }
    }
  }
  return out;
}

function config(op: 'ArgMax' | 'ArgMin'): KernelConfig {
  return {
    op,
    impl: (inputs, node) => [
      argExtremeImpl(
        op,
        requireInput(inputs, 0, node, 'data'),
        attrInt(node, 'axis', 0),
        attrInt(node, 'keepdims', 1) !== 0,
        attrInt(node, 'select_last_index', 0) !== 0,
        nodeLabel(node),
      ),
    ],
  };
}

export const argmaxKernels: readonly KernelConfig[] = [config('ArgMax'), config('ArgMin')];
