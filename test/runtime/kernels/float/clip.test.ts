import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError } from '../../../../src/errors.ts';
import { tensor } from '../../../../src/ir/tensor.ts';
import { clipKernels } from '../../../../src/runtime/kernels/float/clip.ts';
import { assertTensor, make, runKernel } from './kernel-test-utils.ts';

const x = make('float32', [5], [-3, -1, 0, 1, 3]);
const s = (v: number) => make('float32', [], [v]);

test('Clip clamps to [min, max]; omitted bounds do not clamp', () => {
  assertTensor(runKernel(clipKernels, 'Clip', [x, s(-1), s(1)])[0], 'float32', [5], [-1, -1, 0, 1, 1]);
  assertTensor(runKernel(clipKernels, 'Clip', [x, s(0)])[0], 'float32', [5], [0, 0, 0, 1, 3]);
  assertTensor(runKernel(clipKernels, 'Clip', [x, undefined, s(0)])[0], 'float32', [5], [-3, -1, 0, 0, 0]);
  assertTensor(runKernel(clipKernels, 'Clip', [x])[0], 'float32', [5], [-3, -1, 0, 1, 3]);
  // An empty tensor stands for an omitted bound (older exporters).
  assertTensor(runKernel(clipKernels, 'Clip', [x, tensor('float32', [0]), s(2)])[0], 'float32', [5], [-3, -1, 0, 1, 2]);
});

test('min > max gives max everywhere (numpy.clip); NaN stays NaN', () => {
  assertTensor(runKernel(clipKernels, 'Clip', [x, s(2), s(1)])[0], 'float32', [5], [1, 1, 1, 1, 1]);
  const [out] = runKernel(clipKernels, 'Clip', [make('float32', [1], [NaN]), s(0), s(1)]);
  assert.ok(Number.isNaN(out.data[0]));
});

test('Clip on integers', () => {
  const i8 = make('int8', [4], [-128, -5, 5, 127]);
  assertTensor(runKernel(clipKernels, 'Clip', [i8, make('int8', [], [-10]), make('int8', [], [10])])[0], 'int8', [4], [-10, -5, 5, 10]);
  assertTensor(runKernel(clipKernels, 'Clip', [i8])[0], 'int8', [4], [-128, -5, 5, 127]);
});

test('bounds of another dtype or with more than one element are rejected', () => {
  assert.throws(() => runKernel(clipKernels, 'Clip', [x, make('int32', [], [0])]), (e: unknown) => e instanceof ShapeError && /test_Clip/.test(e.message));
  assert.throws(() => runKernel(clipKernels, 'Clip', [x, make('float32', [2], [0, 1])]), ShapeError);
});
