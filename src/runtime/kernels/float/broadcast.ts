/**
 * Multidirectional (numpy) broadcasting, shared by every elementwise op with several inputs
 * (arithmetic, comparisons, Where, Min/Max/Sum/Mean, Expand).
 *
 * Shapes are aligned at their last axis; each output axis is the common size, where a size-1
 * axis stretches. The plan that walks the output lets each input step 0 along its stretched
 * axes, and merges axes so that the common cases take one long run per call: same shapes → one
 * run over everything, a scalar → one run with step 0, a per-channel [C,1,1] operand against
 * [N,C,H,W] → runs of H·W with step 0.
 */
import { ShapeError } from '../../../errors.ts';
import type { DType, TensorData } from '../../../ir/dtype.ts';
import { formatShape, sameShape, stridesOf, tensor, type Tensor } from '../../../ir/tensor.ts';
import { forEachRun, planStrided, type StridedPlan } from './strided.ts';

/** The broadcast of `shapes`; throws ShapeError naming `where` when an axis cannot stretch. */
export function broadcastShapes(shapes: readonly (readonly number[])[], where: string): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const shape of shapes) {
    const shift = rank - shape.length;
    for (let i = 0; i < shape.length; i++) {
      const d = shape[i];
      const o = out[shift + i];
      if (d === o || d === 1) continue;
      if (o !== 1) {
        throw new ShapeError(`${where}: shapes ${shapes.map((s) => formatShape(s)).join(', ')} cannot be broadcast together (axis ${shift + i}: ${o} vs ${d})`);
      }
      out[shift + i] = d;
    }
  }
  return out;
}

/** Strides for reading a row-major tensor of `shape` as if it had `outShape` (0 where it stretches). */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const own = stridesOf(shape);
  const shift = outShape.length - shape.length;
  return outShape.map((_, axis) => {
    const i = axis - shift;
    return i < 0 || shape[i] === 1 ? 0 : own[i];
  });
}

/** A plan over `outShape`: operand 0 is the contiguous output, operand k the input `inShapes[k − 1]`. */
export function planBroadcast(outShape: readonly number[], inShapes: readonly (readonly number[])[]): StridedPlan {
  return planStrided(outShape, [stridesOf(outShape), ...inShapes.map((s) => broadcastStrides(s, outShape))]);
}

/**
 * The inner loop of a binary elementwise op: out[o + i] = f(a[ia + i·sa], b[ib + i·sb]) for
 * i < n. Each op writes its own loop (no per-element callback), so the hot path stays a plain
 * typed-array loop the JIT can specialise.
 */
export type BinaryLoop = (out: TensorData, a: TensorData, b: TensorData, o: number, ia: number, sa: number, ib: number, sb: number, n: number) => void;

/** Broadcasts `a` against `b` and fills a new `outDtype` tensor with `loop`. */
export function applyBinary(a: Tensor, b: Tensor, outDtype: DType, loop: BinaryLoop, where: string): Tensor {
  if (sameShape(a.shape, b.shape)) {
    const out = tensor(outDtype, a.shape);
    loop(out.data, a.data, b.data, 0, 0, 1, 0, 1, out.data.length);
    return out;
  }
  const shape = broadcastShapes([a.shape, b.shape], where);
  const out = tensor(outDtype, shape);
  const plan = planBroadcast(shape, [a.shape, b.shape]);
  const { run, steps } = plan;
  const outData = out.data;
  const aData = a.data;
  const bData = b.data;
  forEachRun(plan, [0, 0, 0], (o) => loop(outData, aData, bData, o[0], o[1], steps[1], o[2], steps[2], run));
  return out;
}
