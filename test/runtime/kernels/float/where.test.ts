import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError, UnsupportedOpError } from '../../../../src/errors.ts';
import { whereKernels, whereImpl } from '../../../../src/runtime/kernels/float/where.ts';
import { assertTensor, make, Rng, ravel, runKernel, size, unravel } from './kernel-test-utils.ts';

test('spec example: Where picks from X where true, Y elsewhere', () => {
  const c = make('bool', [2, 2], [1, 0, 1, 1]);
  const x = make('float32', [2, 2], [1, 2, 3, 4]);
  const y = make('float32', [2, 2], [9, 8, 7, 6]);
  assertTensor(runKernel(whereKernels, 'Where', [c, x, y])[0], 'float32', [2, 2], [1, 8, 3, 4]);
  assertTensor(whereImpl(make('bool', [2], [0, 1]), make('int64', [], [5]), make('int64', [2, 1], [1, 2])), 'int64', [2, 2], [1, 5, 2, 5]);
});

test('three-way broadcasting matches an index loop', () => {
  const rng = new Rng(21);
  for (let trial = 0; trial < 60; trial++) {
    const rank = rng.int(0, 4);
    const shape = rng.shape(rank, 0, 3);
    const pick = () => shape.slice(rng.int(0, rank)).map((d) => (rng.uniform() < 0.4 ? 1 : d));
    const [cs, xs, ys] = [pick(), pick(), pick()];
    const c = make('bool', cs, Array.from({ length: size(cs) }, () => rng.int(0, 1)));
    const x = rng.floats(xs);
    const y = rng.floats(ys);
    const out = whereImpl(c, x, y);
    const outShape = out.shape;
    const at = (t: typeof x, index: number[]) => t.data[ravel(index.slice(index.length - t.shape.length).map((i, k) => (t.shape[k] === 1 ? 0 : i)), t.shape)];
    for (let flat = 0; flat < size(outShape); flat++) {
      const index = unravel(flat, outShape);
      assert.equal(out.data[flat], at(c, index) ? at(x, index) : at(y, index));
    }
  }
});

test('bad inputs: non-bool condition, mismatched X/Y, unbroadcastable shapes', () => {
  const x = make('float32', [2], [1, 2]);
  assert.throws(() => runKernel(whereKernels, 'Where', [x, x, x]), UnsupportedOpError);
  assert.throws(() => runKernel(whereKernels, 'Where', [make('bool', [2], [1, 0]), x, make('int32', [2], [1, 2])]), ShapeError);
  assert.throws(() => runKernel(whereKernels, 'Where', [make('bool', [3], [1, 0, 1]), x, x]), (e: unknown) => e instanceof ShapeError && /test_Where/.test(e.message));
});
