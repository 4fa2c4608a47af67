import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError } from '../../../../src/errors.ts';
import { argExtremeImpl, argmaxKernels } from '../../../../src/runtime/kernels/float/argmax.ts';
import { assertTensor, int, make, Rng, runKernel, size, unravel } from './kernel-test-utils.ts';

test('spec examples: ArgMax/ArgMin with keepdims and select_last_index', () => {
  const x = make('float32', [2, 2], [2, 1, 3, 10]);
  assertTensor(runKernel(argmaxKernels, 'ArgMax', [x])[0], 'int64', [1, 2], [1, 1]);
  assertTensor(runKernel(argmaxKernels, 'ArgMax', [x], { axis: int(1), keepdims: int(0) })[0], 'int64', [2], [0, 1]);
  assertTensor(runKernel(argmaxKernels, 'ArgMin', [x], { axis: int(-1) })[0], 'int64', [2, 1], [1, 0]);
  const ties = make('float32', [2, 2], [2, 2, 3, 10]);
  assertTensor(runKernel(argmaxKernels, 'ArgMax', [ties], { axis: int(1) })[0], 'int64', [2, 1], [0, 1]);
  assertTensor(runKernel(argmaxKernels, 'ArgMax', [ties], { axis: int(1), select_last_index: int(1) })[0], 'int64', [2, 1], [1, 1]);
  assertTensor(runKernel(argmaxKernels, 'ArgMin', [ties], { axis: int(1), select_last_index: int(1) })[0], 'int64', [2, 1], [1, 0]);
});

test('random tensors match a first-occurrence scan', () => {
  const rng = new Rng(61);
  for (let trial = 0; trial < 40; trial++) {
    const rank = rng.int(1, 4);
    const shape = rng.shape(rank, 1, 4);
    const axis = rng.int(0, rank - 1);
    const x = make('int32', shape, Array.from({ length: size(shape) }, () => rng.int(-3, 3)));
    for (const op of ['ArgMax', 'ArgMin'] as const) {
      const out = argExtremeImpl(op, x, axis, false);
      const outShape = shape.filter((_, i) => i !== axis);
      for (let o = 0; o < size(outShape); o++) {
        const oi = unravel(o, outShape);
        let best = 0;
        let bestValue = NaN;
        for (let j = 0; j < shape[axis]; j++) {
          const idx = [...oi.slice(0, axis), j, ...oi.slice(axis)];
          const v = x.data[idx.reduce((f, k, a) => f * shape[a] + k, 0)];
          if (j === 0 || (op === 'ArgMax' ? v > bestValue : v < bestValue)) [best, bestValue] = [j, v];
        }
        assert.equal(out.data[o], best);
      }
    }
  }
});

test('NaN never wins unless every value is NaN; an empty axis is an error', () => {
  assertTensor(argExtremeImpl('ArgMax', make('float32', [3], [NaN, 1, 0])), 'int64', [1], [1]);
  assertTensor(argExtremeImpl('ArgMin', make('float32', [2], [NaN, NaN])), 'int64', [1], [0]);
  assert.throws(() => runKernel(argmaxKernels, 'ArgMax', [make('float32', [0, 2], [])]), (e: unknown) => e instanceof ShapeError && /test_ArgMax/.test(e.message));
  assert.deepEqual(argExtremeImpl('ArgMax', make('float32', [2, 0], []), 0).shape, [1, 0]);
});
