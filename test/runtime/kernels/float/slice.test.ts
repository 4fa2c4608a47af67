import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError } from '../../../../src/errors.ts';
import { sliceImpl, sliceKernels } from '../../../../src/runtime/kernels/float/slice.ts';
import { assertTensor, i64, make, Rng, ravel, runKernel, size, unravel } from './kernel-test-utils.ts';

const INT64_MAX = 2 ** 63 - 1; // rounds to 2^63 as a double, as the importer stores it
const INT64_MIN = -(2 ** 63);

/**
 * The indices start:end:step picks from 0…dim−1, walked step by step. As the ONNX spec says (and
 * unlike Python), a negative-step start below 0 is clamped up to 0 rather than selecting nothing.
 */
function picked(dim: number, start: number, end: number, step: number): number[] {
  const out: number[] = [];
  let i = start < 0 ? start + dim : start;
  let e = end < 0 ? end + dim : end;
  if (step > 0) {
    i = Math.max(i, 0);
    e = Math.min(e, dim);
    for (; i < e; i += step) out.push(i);
  } else {
    i = Math.min(Math.max(i, 0), dim - 1);
    e = Math.max(e, -1);
    for (; i > e; i += step) out.push(i);
  }
  return out;
}

test('random slices (negative starts/ends/steps, out-of-range bounds) match a step-by-step walk', () => {
  const rng = new Rng(23);
  for (let trial = 0; trial < 150; trial++) {
    const rank = rng.int(1, 4);
    const shape = rng.shape(rank, 0, 6);
    const x = make('float32', shape, Array.from({ length: size(shape) }, (_, i) => i));
    const axes = rng.permutation(rank).slice(0, rng.int(1, rank)).map((a) => (rng.uniform() < 0.3 ? a - rank : a));
    const pick = () => (rng.uniform() < 0.15 ? (rng.uniform() < 0.5 ? INT64_MAX : INT64_MIN) : rng.int(-8, 8));
    const starts = axes.map(pick);
    const ends = axes.map(pick);
    const steps = axes.map(() => rng.int(1, 3) * (rng.uniform() < 0.5 ? -1 : 1));
    const lists = shape.map((d) => Array.from({ length: d }, (_, i) => i));
    axes.forEach((a, i) => {
      const axis = a < 0 ? a + rank : a;
      lists[axis] = picked(shape[axis], starts[i], ends[i], steps[i]);
    });
    const out = sliceImpl(x, starts, ends, axes, steps);
    const outShape = lists.map((l) => l.length);
    assert.deepEqual(out.shape, outShape, `shape [${shape}] starts ${starts} ends ${ends} axes ${axes} steps ${steps}`);
    for (let flat = 0; flat < size(outShape); flat++) {
      const o = unravel(flat, outShape);
      assert.equal(out.data[flat], x.data[ravel(o.map((v, a) => lists[a][v]), shape)]);
    }
  }
});

test('ONNX examples: default axes/steps, negative steps, sentinels', () => {
  const x = make('float32', [2, 4], [1, 2, 3, 4, 5, 6, 7, 8]);
  assertTensor(runKernel(sliceKernels, 'Slice', [x, i64([1, 0]), i64([2, 3]), i64([0, 1]), i64([1, 2])])[0], 'float32', [1, 2], [5, 7]);
  assertTensor(runKernel(sliceKernels, 'Slice', [x, i64([0, 1]), i64([-1, 1000])])[0], 'float32', [1, 3], [2, 3, 4]);
  assertTensor(runKernel(sliceKernels, 'Slice', [x, i64([INT64_MAX]), i64([INT64_MIN]), i64([1]), i64([-1])])[0], 'float32', [2, 4], [4, 3, 2, 1, 8, 7, 6, 5]);
  assertTensor(runKernel(sliceKernels, 'Slice', [x, i64([1]), i64([INT64_MAX]), i64([-1])])[0], 'float32', [2, 3], [2, 3, 4, 6, 7, 8]);
  // test_slice_neg_steps: shape [20, 10, 5] → [19, 3, 2].
  const big = make('float32', [20, 10, 5], Array.from({ length: 1000 }, (_, i) => i));
  assert.deepEqual(sliceImpl(big, [20, 10, 4], [0, 0, 1], [0, 1, 2], [-1, -3, -2]).shape, [19, 3, 2]);
  // Start past the end gives an empty axis.
  assert.deepEqual(sliceImpl(big, [1000], [1000], [1], [1]).shape, [20, 0, 5]);
});

test('bad slices are ShapeErrors naming the node', () => {
  const x = make('float32', [2, 4], [1, 2, 3, 4, 5, 6, 7, 8]);
  const fails = (inputs: Parameters<typeof runKernel>[2]) => assert.throws(() => runKernel(sliceKernels, 'Slice', inputs), (e: unknown) => e instanceof ShapeError && /test_Slice/.test(e.message));
  fails([x, i64([0]), i64([1]), i64([0]), i64([0])]);
  fails([x, i64([0]), i64([1, 2])]);
  fails([x, i64([0, 0]), i64([1, 1]), i64([1, 1])]);
  fails([x, i64([0]), i64([1]), i64([2])]);
});
