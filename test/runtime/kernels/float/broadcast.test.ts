import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError } from '../../../../src/errors.ts';
import { tensor } from '../../../../src/ir/tensor.ts';
import { applyBinary, broadcastShapes, type BinaryLoop } from '../../../../src/runtime/kernels/float/broadcast.ts';
import { Rng, ravel, size, unravel } from './kernel-test-utils.ts';

const sub: BinaryLoop = (out, a, b, o, ia, sa, ib, sb, n) => {
  for (let i = 0; i < n; i++, ia += sa, ib += sb) out[o + i] = a[ia] - b[ib];
};

test('broadcastShapes follows numpy rules', () => {
  assert.deepEqual(broadcastShapes([[2, 3, 4], [4]], 'x'), [2, 3, 4]);
  assert.deepEqual(broadcastShapes([[2, 1, 4], [3, 1]], 'x'), [2, 3, 4]);
  assert.deepEqual(broadcastShapes([[], [5]], 'x'), [5]);
  assert.deepEqual(broadcastShapes([[0, 1], [1, 3]], 'x'), [0, 3]);
  assert.deepEqual(broadcastShapes([[1], [0]], 'x'), [0]);
  assert.throws(() => broadcastShapes([[2, 3], [4]], 'node "n1" (Add)'), (e: unknown) => e instanceof ShapeError && /node "n1" \(Add\)/.test(e.message) && /\[2, 3\]/.test(e.message));
  assert.throws(() => broadcastShapes([[2], [0]], 'x'), ShapeError);
});

test('applyBinary matches an index-by-index broadcast on random shapes (with 0- and 1-sized dims)', () => {
  const rng = new Rng(7);
  for (let trial = 0; trial < 150; trial++) {
    const rank = rng.int(0, 4);
    const outShape = rng.shape(rank, 0, 4);
    // Each input: a suffix of the output shape with some axes set to 1.
    const pick = () => outShape.slice(rng.int(0, rank)).map((d) => (rng.uniform() < 0.35 ? 1 : d));
    const aShape = pick();
    const bShape = pick();
    const a = rng.floats(aShape);
    const b = rng.floats(bShape);
    const expectedShape = broadcastShapes([aShape, bShape], 'test');
    const got = applyBinary(a, b, 'float32', sub, 'test');
    assert.deepEqual(got.shape, expectedShape);
    const at = (t: typeof a, index: number[]) => {
      const own = index.slice(index.length - t.shape.length).map((i, k) => (t.shape[k] === 1 ? 0 : i));
      return t.data[ravel(own, t.shape)];
    };
    for (let flat = 0; flat < size(expectedShape); flat++) {
      const index = unravel(flat, expectedShape);
      assert.equal(got.data[flat], Math.fround(at(a, index) - at(b, index)), `[${aShape}] - [${bShape}] at ${index}`);
    }
  }
});

test('applyBinary keeps the output dtype it is given', () => {
  const a = tensor('int32', [2], Int32Array.of(5, 6));
  const b = tensor('int32', [], Int32Array.of(1));
  const out = applyBinary(a, b, 'int32', sub, 'test');
  assert.ok(out.data instanceof Int32Array);
  assert.deepEqual(Array.from(out.data), [4, 5]);
});
