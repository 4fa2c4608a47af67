/**
 * Strided iteration: the one loop nest behind broadcasting, Expand, Transpose, Slice and
 * reductions. An index space (a shape) is walked in row-major order while several operands
 * follow it, each with its own strides (0 along a broadcast axis, negative for a reversed
 * slice). Size-1 axes are dropped and adjacent axes that every operand walks contiguously are
 * merged, so the innermost "run" is as long as possible and the visitor's inner loop — written
 * per op, over typed arrays — does almost all the work: a same-shape Add is one run.
 */
import type { TensorData } from '../../../ir/dtype.ts';

export interface StridedPlan {
  /** Sizes of the outer axes (outermost first), after dropping and merging. */
  readonly outer: readonly number[];
  /** strides[k][d]: how far operand k moves along outer axis d. */
  readonly strides: readonly (readonly number[])[];
  /** Elements per run (the innermost merged axis); 0 when the index space is empty. */
  readonly run: number;
  /** steps[k]: how far operand k moves along the run. */
  readonly steps: readonly number[];
}

/** Plans the walk of `shape` by operands with the given per-axis strides (one list per operand). */
export function planStrided(shape: readonly number[], strides: readonly (readonly number[])[]): StridedPlan {
  const operands = strides.length;
  if (shape.some((d) => d === 0)) return { outer: [], strides: strides.map(() => []), run: 0, steps: strides.map(() => 0) };
  const dims: number[] = [];
  const st: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = dims.length - 1;
    // Merge into the previous kept axis when every operand steps over it contiguously.
    if (last >= 0 && st.every((s, k) => s[last] === strides[k][d] * shape[d])) {
      dims[last] *= shape[d];
      for (let k = 0; k < operands; k++) st[k][last] = strides[k][d];
    } else {
      dims.push(shape[d]);
      for (let k = 0; k < operands; k++) st[k].push(strides[k][d]);
    }
  }
  if (dims.length === 0) return { outer: [], strides: strides.map(() => []), run: 1, steps: strides.map(() => 0) };
  const run = dims.pop() as number;
  const steps = st.map((s) => s.pop() as number);
  return { outer: dims, strides: st, run, steps };
}

/**
 * Calls `visit(offsets)` once per run, where `offsets[k]` is operand k's offset of the run's
 * first element (starting from `base[k]`). The array is reused between calls: read, don't keep.
 */
export function forEachRun(plan: StridedPlan, base: readonly number[], visit: (offsets: Float64Array) => void): void {
  if (plan.run === 0) return;
  const offsets = Float64Array.from(base);
  const { outer, strides } = plan;
  const rank = outer.length;
  const operands = offsets.length;
  const index = new Array<number>(rank).fill(0);
  while (true) {
    visit(offsets);
    let d = rank - 1;
    for (; d >= 0; d--) {
      index[d]++;
      if (index[d] < outer[d]) {
        for (let k = 0; k < operands; k++) offsets[k] += strides[k][d];
        break;
      }
      // Wrap this axis back to 0 and carry into the next outer one.
      for (let k = 0; k < operands; k++) offsets[k] -= strides[k][d] * (outer[d] - 1);
      index[d] = 0;
    }
    if (d < 0) return;
  }
}

/** Copies src into dst following a two-operand plan (operand 0 = dst, operand 1 = src). */
export function copyStrided(dst: TensorData, src: TensorData, plan: StridedPlan, srcBase = 0): void {
  const n = plan.run;
  const dstStep = plan.steps[0];
  const srcStep = plan.steps[1];
  const contiguous = dstStep === 1 && srcStep === 1;
  forEachRun(plan, [0, srcBase], (offsets) => {
    const d = offsets[0];
    let s = offsets[1];
    if (contiguous) {
      dst.set(src.subarray(s, s + n), d);
    } else if (srcStep === 0 && dstStep === 1) {
      dst.fill(src[s], d, d + n);
    } else {
      for (let i = 0; i < n; i++, s += srcStep) dst[d + i * dstStep] = src[s];
    }
  });
}
