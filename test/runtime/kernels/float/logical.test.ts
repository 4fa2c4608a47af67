import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError, UnsupportedOpError } from '../../../../src/errors.ts';
import { logicalKernels } from '../../../../src/runtime/kernels/float/logical.ts';
import { assertTensor, make, runKernel } from './kernel-test-utils.ts';

test('comparisons give bool tensors, broadcast, and are false against NaN', () => {
  const a = make('float32', [2, 3], [1, 2, NaN, 4, 5, 6]);
  const b = make('float32', [3], [2, 2, NaN]);
  const expect: Record<string, number[]> = {
    Equal: [0, 1, 0, 0, 0, 0],
    Less: [1, 0, 0, 0, 0, 0],
    Greater: [0, 0, 0, 1, 1, 0],
    LessOrEqual: [1, 1, 0, 0, 0, 0],
    GreaterOrEqual: [0, 1, 0, 1, 1, 0],
  };
  for (const [op, values] of Object.entries(expect)) {
    const [out] = runKernel(logicalKernels, op, [a, b]);
    assertTensor(out, 'bool', [2, 3], values, op);
    assert.ok(out.data instanceof Uint8Array);
  }
});

test('comparisons on integer and bool tensors', () => {
  assertTensor(runKernel(logicalKernels, 'Equal', [make('int64', [3], [2 ** 40, -1, 7]), make('int64', [1], [2 ** 40])])[0], 'bool', [3], [1, 0, 0]);
  assertTensor(runKernel(logicalKernels, 'Less', [make('uint8', [2], [0, 255]), make('uint8', [2], [255, 0])])[0], 'bool', [2], [1, 0]);
  assertTensor(runKernel(logicalKernels, 'Equal', [make('bool', [2], [1, 0]), make('bool', [2], [1, 1])])[0], 'bool', [2], [1, 0]);
});

test('And, Or, Xor, Not follow their truth tables', () => {
  const a = make('bool', [4], [0, 0, 1, 1]);
  const b = make('bool', [4], [0, 1, 0, 1]);
  assertTensor(runKernel(logicalKernels, 'And', [a, b])[0], 'bool', [4], [0, 0, 0, 1]);
  assertTensor(runKernel(logicalKernels, 'Or', [a, b])[0], 'bool', [4], [0, 1, 1, 1]);
  assertTensor(runKernel(logicalKernels, 'Xor', [a, b])[0], 'bool', [4], [0, 1, 1, 0]);
  assertTensor(runKernel(logicalKernels, 'Not', [a])[0], 'bool', [4], [1, 1, 0, 0]);
  assertTensor(runKernel(logicalKernels, 'And', [make('bool', [2, 1], [1, 0]), make('bool', [2], [1, 1])])[0], 'bool', [2, 2], [1, 1, 0, 0]);
});

test('bad inputs name the node', () => {
  assert.throws(() => runKernel(logicalKernels, 'Less', [make('float32', [2], [1, 2]), make('int32', [2], [1, 2])]), (e: unknown) => e instanceof ShapeError && /test_Less/.test(e.message));
  assert.throws(() => runKernel(logicalKernels, 'Equal', [make('float32', [2], [1, 2]), make('float32', [3], [1, 2, 3])]), ShapeError);
  assert.throws(() => runKernel(logicalKernels, 'And', [make('float32', [1], [1]), make('bool', [1], [1])]), UnsupportedOpError);
});
