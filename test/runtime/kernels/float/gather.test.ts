import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError } from '../../../../src/errors.ts';
import { gatherImpl, gatherKernels } from '../../../../src/runtime/kernels/float/gather.ts';
import { assertTensor, i64, int, make, Rng, ravel, runKernel, size, unravel } from './kernel-test-utils.ts';

test('spec examples: axis 0 and axis 1, negative indices', () => {
  const data = make('float32', [3, 2], [1, 1.2, 2.3, 3.4, 4.5, 5.7]);
  const indices = make('int64', [2, 2], [0, 1, 1, 2]);
  assertTensor(runKernel(gatherKernels, 'Gather', [data, indices])[0], 'float32', [2, 2, 2], [1, 1.2, 2.3, 3.4, 2.3, 3.4, 4.5, 5.7].map(Math.fround));
  const d2 = make('float32', [3, 3], [1, 1.2, 1.9, 2.3, 3.4, 3.9, 4.5, 5.7, 5.9]);
  assertTensor(runKernel(gatherKernels, 'Gather', [d2, make('int64', [1, 2], [0, 2])], { axis: int(1) })[0], 'float32', [3, 1, 2], [1, 1.9, 2.3, 3.9, 4.5, 5.9].map(Math.fround));
  assertTensor(gatherImpl(make('int32', [4], [10, 20, 30, 40]), make('int32', [3], [-1, -4, 0])), 'int32', [3], [40, 10, 10]);
  // A scalar index drops the axis.
  assertTensor(gatherImpl(d2, make('int64', [], [1]), 0), 'float32', [3], [2.3, 3.4, 3.9].map(Math.fround));
});

test('random shapes and axes match an index loop', () => {
  const rng = new Rng(17);
  for (let trial = 0; trial < 60; trial++) {
    const rank = rng.int(1, 4);
    const shape = rng.shape(rank, 1, 4);
    const axis = rng.int(-rank, rank - 1);
    const a = axis < 0 ? axis + rank : axis;
    const idxShape = rng.shape(rng.int(0, 2), 0, 3);
    const idx = Array.from({ length: size(idxShape) }, () => rng.int(-shape[a], shape[a] - 1));
    const data = make('float32', shape, Array.from({ length: size(shape) }, (_, i) => i));
    const out = gatherImpl(data, make('int64', idxShape, idx), axis);
    const outShape = [...shape.slice(0, a), ...idxShape, ...shape.slice(a + 1)];
    assert.deepEqual(out.shape, outShape);
    for (let flat = 0; flat < size(outShape); flat++) {
      const o = unravel(flat, outShape);
      const j = idx[ravel(o.slice(a, a + idxShape.length), idxShape)];
      const src = [...o.slice(0, a), j < 0 ? j + shape[a] : j, ...o.slice(a + idxShape.length)];
      assert.equal(out.data[flat], data.data[ravel(src, shape)]);
    }
  }
});

test('out-of-range indices and axes are ShapeErrors naming the node', () => {
  const data = make('float32', [3, 2], [1, 2, 3, 4, 5, 6]);
  assert.throws(() => runKernel(gatherKernels, 'Gather', [data, i64([3])]), (e: unknown) => e instanceof ShapeError && /test_Gather/.test(e.message) && /index 3/.test(e.message));
  assert.throws(() => runKernel(gatherKernels, 'Gather', [data, i64([-4])]), ShapeError);
  assert.throws(() => runKernel(gatherKernels, 'Gather', [data, i64([0])], { axis: int(2) }), ShapeError);
  assert.throws(() => runKernel(gatherKernels, 'Gather', [data, make('float32', [1], [0])]), ShapeError);
});
