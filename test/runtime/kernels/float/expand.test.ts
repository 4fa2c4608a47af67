import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError } from '../../../../src/errors.ts';
import { expandKernels, tileImpl } from '../../../../src/runtime/kernels/float/expand.ts';
import { assertTensor, i64, make, Rng, ravel, runKernel, size, unravel } from './kernel-test-utils.ts';

test('Expand broadcasts in both directions (spec examples)', () => {
  const x = make('float32', [3, 1], [1, 2, 3]);
  assertTensor(runKernel(expandKernels, 'Expand', [x, i64([3, 4])])[0], 'float32', [3, 4], [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]);
  const [out] = runKernel(expandKernels, 'Expand', [x, i64([2, 1, 6])]);
  assert.deepEqual(out.shape, [2, 3, 6]);
  for (let i = 0; i < 36; i++) assert.equal(out.data[i], [1, 2, 3][Math.floor(i / 6) % 3]);
  // A target dim of 1 keeps the input's larger one.
  assert.deepEqual(runKernel(expandKernels, 'Expand', [x, i64([1, 1])])[0].shape, [3, 1]);
  assert.deepEqual(runKernel(expandKernels, 'Expand', [x, i64([0, 3, 2])])[0].shape, [0, 3, 2]);
  assert.throws(() => runKernel(expandKernels, 'Expand', [x, i64([2, 4])]), (e: unknown) => e instanceof ShapeError && /test_Expand/.test(e.message));
});

test('Tile repeats along each axis: out[i] = x[i mod dim]', () => {
  assertTensor(runKernel(expandKernels, 'Tile', [make('int32', [2, 2], [1, 2, 3, 4]), i64([2, 1])])[0], 'int32', [4, 2], [1, 2, 3, 4, 1, 2, 3, 4]);
  assertTensor(tileImpl(make('float32', [2], [5, 6]), [3]), 'float32', [6], [5, 6, 5, 6, 5, 6]);
  const rng = new Rng(13);
  for (let trial = 0; trial < 40; trial++) {
    const rank = rng.int(0, 4);
    const shape = rng.shape(rank, 0, 3);
    const repeats = rng.shape(rank, 0, 3);
    const x = make('float32', shape, Array.from({ length: size(shape) }, (_, i) => i));
    const out = tileImpl(x, repeats);
    const outShape = shape.map((d, i) => d * repeats[i]);
    assert.deepEqual(out.shape, outShape);
    for (let flat = 0; flat < size(outShape); flat++) {
      const o = unravel(flat, outShape);
      assert.equal(out.data[flat], x.data[ravel(o.map((v, a) => v % shape[a]), shape)]);
    }
  }
  assert.throws(() => tileImpl(make('float32', [2], [1, 2]), [1, 2]), ShapeError);
  assert.throws(() => tileImpl(make('float32', [2], [1, 2]), [-1]), ShapeError);
});
