/**
 * Slice(data, starts, ends, axes?, steps?). Per axis, negative starts/ends count from the end;
 * then, for a positive step, start and end are clamped to [0, dim], for a negative step start to
 * [0, dim − 1] and end to [−1, dim − 1]. That makes the INT64_MAX / INT64_MIN sentinels
 * exporters use for "to the end" / "to the beginning" work without special cases.
 */
import { ShapeError } from '../../../errors.ts';
import { stridesOf, tensor, type Tensor } from '../../../ir/tensor.ts';
import type { KernelConfig } from '../../kernel.ts';
import { integerListOf, nodeLabel, normalizeAxes, optionalInput, requireInput } from './node-io.ts';
import { copyStrided, planStrided } from './strided.ts';

/** Where one axis's slice begins, its step, and how many elements it takes. */
export interface AxisSlice {
  readonly start: number;
  readonly step: number;
  readonly count: number;
}

/** The clamped slice of an axis of size `dim` (step ≠ 0). */
export function sliceAxis(dim: number, start: number, end: number, step: number): AxisSlice {
  if (start < 0) start += dim;
  if (end < 0) end += dim;
  if (step > 0) {
    start = Math.min(Math.max(start, 0), dim);
    end = Math.min(Math.max(end, 0), dim);
    return { start, step, count: Math.max(0, Math.ceil((end - start) / step)) };
  }
  start = Math.min(Math.max(start, 0), dim - 1);
  end = Math.min(Math.max(end, -1), dim - 1);
  return { start, step, count: Math.max(0, Math.ceil((start - end) / -step)) };
}

/** data[starts:ends:steps] along `axes` (all leading axes by default; steps default to 1). */
export function sliceImpl(
  data: Tensor,
  starts: readonly number[],
  ends: readonly number[],
  axes?: readonly number[],
  steps?: readonly number[],
  where = 'Slice',
): Tensor {
  const rank = data.shape.length;
  const n = starts.length;
  const ax = normalizeAxes(axes ?? starts.map((_, i) => i), rank, where);
  const st = steps ?? starts.map(() => 1);
  if (ends.length !== n || ax.length !== n || st.length !== n) {
    throw new ShapeError(`${where}: starts, ends, axes and steps have lengths ${n}, ${ends.length}, ${ax.length}, ${st.length}`);
  }
  const slices: AxisSlice[] = data.shape.map((d) => ({ start: 0, step: 1, count: d }));
  for (let i = 0; i < n; i++) {
    if (st[i] === 0) throw new ShapeError(`${where}: step 0 on axis ${ax[i]}`);
    slices[ax[i]] = sliceAxis(data.shape[ax[i]], starts[i], ends[i], st[i]);
  }
  const inStrides = stridesOf(data.shape);
  const shape = slices.map((s) => s.count);
  const out = tensor(data.dtype, shape);
  const base = slices.reduce((sum, s, a) => sum + s.start * inStrides[a], 0);
  const plan = planStrided(shape, [stridesOf(shape), slices.map((s, a) => s.step * inStrides[a])]);
  copyStrided(out.data, data.data, plan, base);
  return out;
}

export const sliceKernels: readonly KernelConfig[] = [
  {
    op: 'Slice',
    impl: (inputs, node) => {
      const where = nodeLabel(node);
      const list = (i: number, what: string) => integerListOf(requireInput(inputs, i, node, what), where, what);
      const optional = (i: number, what: string) => {
        const t = optionalInput(inputs, i);
        return t && integerListOf(t, where, what);
      };
      return [sliceImpl(requireInput(inputs, 0, node, 'data'), list(1, 'starts'), list(2, 'ends'), optional(3, 'axes'), optional(4, 'steps'), where)];
    },
  },
];
