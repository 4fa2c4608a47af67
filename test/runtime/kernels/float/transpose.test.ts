import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError } from '../../../../src/errors.ts';
import { transposeImpl, transposeKernels } from '../../../../src/runtime/kernels/float/transpose.ts';
import { assertTensor, ints, make, Rng, ravel, runKernel, size, unravel } from './kernel-test-utils.ts';

test('spec example: default perm reverses the axes', () => {
  const x = make('float32', [2, 3], [1, 2, 3, 4, 5, 6]);
  assertTensor(runKernel(transposeKernels, 'Transpose', [x])[0], 'float32', [3, 2], [1, 4, 2, 5, 3, 6]);
  assertTensor(runKernel(transposeKernels, 'Transpose', [x], { perm: ints([0, 1]) })[0], 'float32', [2, 3], [1, 2, 3, 4, 5, 6]);
});

test('random permutations match out[i…] = x[i permuted back] element by element', () => {
  const rng = new Rng(8);
  for (let trial = 0; trial < 80; trial++) {
    const rank = rng.int(0, 5);
    const shape = rng.shape(rank, 0, 4);
    const perm = rng.permutation(rank);
    const x = make('int16', shape, Array.from({ length: size(shape) }, (_, i) => i));
    const out = transposeImpl(x, perm);
    const outShape = perm.map((a) => shape[a]);
    assert.deepEqual(out.shape, outShape);
    for (let flat = 0; flat < size(outShape); flat++) {
      const o = unravel(flat, outShape);
      const index = new Array<number>(rank);
      perm.forEach((a, i) => (index[a] = o[i]));
      assert.equal(out.data[flat], x.data[ravel(index, shape)]);
    }
  }
});

test('a perm that is not a permutation is a ShapeError naming the node', () => {
  const x = make('float32', [2, 3], [1, 2, 3, 4, 5, 6]);
  for (const perm of [[0], [0, 0], [0, 2], [1, -1]]) {
    assert.throws(() => runKernel(transposeKernels, 'Transpose', [x], { perm: ints(perm) }), (e: unknown) => e instanceof ShapeError && /test_Transpose/.test(e.message), `[${perm}]`);
  }
});
