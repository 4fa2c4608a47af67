import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RangeArgumentError, ShapeError } from '../../../../src/errors.ts';
import { concatImpl, concatSplitKernels, splitImpl } from '../../../../src/runtime/kernels/float/concat-split.ts';
import { assertTensor, i64, int, make, Rng, runKernel, size, unravel } from './kernel-test-utils.ts';

test('Concat joins along an axis (negative axes too)', () => {
  const a = make('float32', [2, 2], [1, 2, 3, 4]);
  const b = make('float32', [2, 2], [5, 6, 7, 8]);
  assertTensor(runKernel(concatSplitKernels, 'Concat', [a, b], { axis: int(0) })[0], 'float32', [4, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
  assertTensor(runKernel(concatSplitKernels, 'Concat', [a, b], { axis: int(-1) })[0], 'float32', [2, 4], [1, 2, 5, 6, 3, 4, 7, 8]);
  assertTensor(concatImpl([a, make('float32', [2, 0], []), make('float32', [2, 1], [9, 10])], 1), 'float32', [2, 3], [1, 2, 9, 3, 4, 10]);
});

test('Concat of random pieces equals picking each output element from its piece', () => {
  const rng = new Rng(31);
  for (let trial = 0; trial < 40; trial++) {
    const rank = rng.int(1, 4);
    const shape = rng.shape(rank, 1, 3);
    const axis = rng.int(0, rank - 1);
    const parts = Array.from({ length: rng.int(1, 4) }, (_, p) => {
      const s = [...shape];
      s[axis] = rng.int(0, 3);
      return make('int32', s, Array.from({ length: size(s) }, (_, i) => p * 1000 + i));
    });
    const out = concatImpl(parts, axis);
    for (let flat = 0; flat < out.data.length; flat++) {
      const o = unravel(flat, out.shape);
      let k = o[axis];
      let p = 0;
      while (k >= parts[p].shape[axis]) k -= parts[p++].shape[axis];
      const local = [...o];
      local[axis] = k;
      const own = local.reduce((f, v, a) => f * parts[p].shape[a] + v, 0);
      assert.equal(out.data[flat], parts[p].data[own]);
    }
  }
});

test('Concat rejects mismatched shapes and dtypes', () => {
  const a = make('float32', [2, 2], [1, 2, 3, 4]);
  assert.throws(() => runKernel(concatSplitKernels, 'Concat', [a, make('float32', [3, 3], new Array(9).fill(0))], { axis: int(0) }), (e: unknown) => e instanceof ShapeError && /test_Concat/.test(e.message));
  assert.throws(() => runKernel(concatSplitKernels, 'Concat', [a, make('int32', [2, 2], [1, 2, 3, 4])], { axis: int(0) }), ShapeError);
  assert.throws(() => runKernel(concatSplitKernels, 'Concat', [a, a], { axis: int(2) }), ShapeError);
  assert.throws(() => runKernel(concatSplitKernels, 'Concat', [a, a]), ShapeError);
});

test('Split by sizes, by num_outputs (last part smaller) and into equal parts', () => {
  const x = make('float32', [2, 6], Array.from({ length: 12 }, (_, i) => i + 1));
  const bySizes = runKernel(concatSplitKernels, 'Split', [x, i64([2, 4])], { axis: int(1) }, 2);
  assertTensor(bySizes[0], 'float32', [2, 2], [1, 2, 7, 8]);
  assertTensor(bySizes[1], 'float32', [2, 4], [3, 4, 5, 6, 9, 10, 11, 12]);
  const byCount = runKernel(concatSplitKernels, 'Split', [make('float32', [7], [1, 2, 3, 4, 5, 6, 7])], { num_outputs: int(4) }, 4);
  assert.deepEqual(byCount.map((t) => Array.from(t.data)), [[1, 2], [3, 4], [5, 6], [7]]);
  const equal = runKernel(concatSplitKernels, 'Split', [x], { axis: int(-1) }, 3);
  assert.deepEqual(equal.map((t) => t.shape), [[2, 2], [2, 2], [2, 2]]);
  assertTensor(equal[2], 'float32', [2, 2], [5, 6, 11, 12]);
  const withEmpty = splitImpl(x, [0, 2], 0);
  assert.deepEqual(withEmpty.map((t) => t.shape), [[0, 6], [2, 6]]);
});

test('Split rejects sizes that do not add up and uneven equal splits', () => {
  const x = make('float32', [6], [1, 2, 3, 4, 5, 6]);
  assert.throws(() => runKernel(concatSplitKernels, 'Split', [x, i64([2, 3])], {}, 2), (e: unknown) => e instanceof ShapeError && /test_Split/.test(e.message));
  assert.throws(() => runKernel(concatSplitKernels, 'Split', [x], {}, 4), ShapeError);
  assert.throws(() => runKernel(concatSplitKernels, 'Split', [x], { num_outputs: int(3) }, 2), RangeArgumentError);
  assert.throws(() => runKernel(concatSplitKernels, 'Split', [x, i64([2, 4])], {}, 3), ShapeError);
});
