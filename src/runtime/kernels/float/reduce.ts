/**
 * Reductions over a set of axes: ReduceSum, ReduceMean, ReduceMax, ReduceMin, ReduceProd,
 * ReduceL1, ReduceL2, ReduceSumSquare, ReduceLogSum, ReduceLogSumExp (opset 18 form: axes is an
 * input; keepdims and noop_with_empty_axes are attributes).
 *
 * One pass walks the input in order while the accumulator (float64, one slot per output
 * element) follows with stride 0 along the reduced axes. Over an empty set, Sum-like ops give 0,
 * Prod 1, Max −inf (the type's minimum for integers), Min +inf (the maximum), Mean NaN (0/0,
 * which the spec leaves undefined), LogSum and LogSumExp −inf.
 */
import { attrInt } from '../../../ir/attributes.ts';
import { DTYPES } from '../../../ir/dtype.ts';
import { stridesOf, tensor, type Tensor } from '../../../ir/tensor.ts';
import type { KernelConfig } from '../../kernel.ts';
import { roundToDtypeInPlace } from './narrow-float.ts';
import { integerListOf, nodeLabel, normalizeAxes, NUMERIC_TYPES, optionalInput, requireDtype, requireInput } from './node-io.ts';
import { forEachRun, planStrided, type StridedPlan } from './strided.ts';

export type ReduceOp = 'ReduceSum' | 'ReduceMean' | 'ReduceMax' | 'ReduceMin' | 'ReduceProd' | 'ReduceL1' | 'ReduceL2' | 'ReduceSumSquare' | 'ReduceLogSum' | 'ReduceLogSumExp';

/** acc[a + k·sa] ⊕= f(src[s + k·ss]) for k < n; sa = 0 folds the whole run into one slot. */
type ReduceLoop = (acc: Float64Array, a: number, sa: number, src: ArrayLike<number>, s: number, ss: number, n: number) => void;

const sum: ReduceLoop = (acc, a, sa, src, s, ss, n) => {
  if (sa === 0) {
    let t = acc[a];
    for (let k = 0; k < n; k++, s += ss) t += src[s];
    acc[a] = t;
  } else for (let k = 0; k < n; k++, s += ss, a += sa) acc[a] += src[s];
};
const sumSquare: ReduceLoop = (acc, a, sa, src, s, ss, n) => {
  for (let k = 0; k < n; k++, s += ss, a += sa) acc[a] += src[s] * src[s];
};
const sumAbs: ReduceLoop = (acc, a, sa, src, s, ss, n) => {
  for (let k = 0; k < n; k++, s += ss, a += sa) acc[a] += Math.abs(src[s]);
};
const prod: ReduceLoop = (acc, a, sa, src, s, ss, n) => {
  for (let k = 0; k < n; k++, s += ss, a += sa) acc[a] *= src[s];
};
// Math.max/min propagate NaN, as numpy's max/min reductions do.
const max: ReduceLoop = (acc, a, sa, src, s, ss, n) => {
  for (let k = 0; k < n; k++, s += ss, a += sa) acc[a] = Math.max(acc[a], src[s]);
};
const min: ReduceLoop = (acc, a, sa, src, s, ss, n) => {
  for (let k = 0; k < n; k++, s += ss, a += sa) acc[a] = Math.min(acc[a], src[s]);
};

interface Reducer {
  readonly init: number;
  readonly loop: ReduceLoop;
  /** Turns the accumulated value into the result, given the reduced element count. */
  readonly finish?: (acc: number, count: number) => number;
}

const REDUCERS: Record<Exclude<ReduceOp, 'ReduceLogSumExp'>, Reducer> = {
  ReduceSum: { init: 0, loop: sum },
  ReduceMean: { init: 0, loop: sum, finish: (v, count) => v / count },
  ReduceMax: { init: -Infinity, loop: max },
  ReduceMin: { init: Infinity, loop: min },
  ReduceProd: { init: 1, loop: prod },
  ReduceL1: { init: 0, loop: sumAbs },
  ReduceL2: { init: 0, loop: sumSquare, finish: Math.sqrt },
  ReduceSumSquare: { init: 0, loop: sumSquare },
  ReduceLogSum: { init: 0, loop: sum, finish: Math.log },
};

function accumulate(plan: StridedPlan, acc: Float64Array, src: ArrayLike<number>, loop: ReduceLoop): void {
  const { run, steps } = plan;
  forEachRun(plan, [0, 0], (o) => loop(acc, o[1], steps[1], src, o[0], steps[0], run));
}

/**
 * Reduces x over `axes` (all axes when undefined or empty, unless `noopWithEmptyAxes`, which
 * then returns x unchanged). Reduced axes stay as size 1 with `keepDims`.
 */
export function reduceImpl(op: ReduceOp, x: Tensor, axes?: readonly number[], keepDims = true, noopWithEmptyAxes = false, where: string = op): Tensor {
  requireDtype(x, NUMERIC_TYPES, where);
  const rank = x.shape.length;
  if ((axes === undefined || axes.length === 0) && noopWithEmptyAxes) return { dtype: x.dtype, shape: [...x.shape], data: x.data.slice() };
  const reduced = new Set(axes === undefined || axes.length === 0 ? x.shape.map((_, i) => i) : normalizeAxes(axes, rank, where));
  const keptShape = x.shape.map((d, i) => (reduced.has(i) ? 1 : d));
  const outStrides = stridesOf(keptShape).map((s, i) => (reduced.has(i) ? 0 : s));
  const plan = planStrided(x.shape, [stridesOf(x.shape), outStrides]);
  const count = x.shape.reduce((p, d, i) => (reduced.has(i) ? p * d : p), 1);
  const size = keptShape.reduce((p, d) => p * d, 1);
  let acc: Float64Array;
  if (op === 'ReduceLogSumExp') {
    acc = logSumExp(plan, x.data, size);
  } else {
    const r = REDUCERS[op];
    acc = new Float64Array(size).fill(r.init);
    accumulate(plan, acc, x.data, r.loop);
    if (r.finish) for (let i = 0; i < size; i++) acc[i] = r.finish(acc[i], count);
  }
  const out = tensor(x.dtype, keepDims ? keptShape : x.shape.filter((_, i) => !reduced.has(i)));
  store(out, acc);
  return out;
}

/** log Σ e^x, shifted by the maximum so that e^x never overflows. */
function logSumExp(plan: StridedPlan, src: ArrayLike<number>, size: number): Float64Array {
  const peak = new Float64Array(size).fill(-Infinity);
  accumulate(plan, peak, src, max);
  const shifted = new Float64Array(size);
  const { run, steps } = plan;
  forEachRun(plan, [0, 0], (o) => {
    for (let k = 0, s = o[0], a = o[1]; k < run; k++, s += steps[0], a += steps[1]) {
      shifted[a] += Math.exp(src[s] - peak[a]);
    }
  });
  // An all −inf (or empty) set has peak −inf: the result is −inf, not NaN from −inf − −inf.
  return peak.map((p, i) => (Number.isFinite(p) ? p + Math.log(shifted[i]) : p));
}

/** Stores float64 results into the output dtype: integers truncate and saturate (±inf → min/max). */
function store(out: Tensor, acc: Float64Array): void {
  const info = DTYPES[out.dtype];
  const dst = out.data;
  if (info.kind === 'int') {
    const lo = info.min as number;
    const hi = info.max as number;
    for (let i = 0; i < acc.length; i++) {
      const v = acc[i];
      dst[i] = v === Infinity ? hi : v === -Infinity ? lo : Math.trunc(v);
    }
  } else {
    dst.set(acc);
    roundToDtypeInPlace(out.dtype, dst);
  }
}

const OPS: readonly ReduceOp[] = [
  'ReduceSum',
  'ReduceMean',
  'ReduceMax',
  'ReduceMin',
  'ReduceProd',
  'ReduceL1',
  'ReduceL2',
  'ReduceSumSquare',
  'ReduceLogSum',
  'ReduceLogSumExp',
];

export const reduceKernels: readonly KernelConfig[] = OPS.map((op) => ({
  op,
  impl: (inputs, node) => {
    const where = nodeLabel(node);
    const axes = optionalInput(inputs, 1);
    return [
      reduceImpl(
        op,
        requireInput(inputs, 0, node, 'data'),
        axes && integerListOf(axes, where, 'axes'),
        attrInt(node, 'keepdims', 1) !== 0,
        attrInt(node, 'noop_with_empty_axes', 0) !== 0,
        where,
      ),
    ];
  },
}));
