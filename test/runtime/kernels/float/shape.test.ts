import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError } from '../../../../src/errors.ts';
import { tensor } from '../../../../src/ir/tensor.ts';
import { reshapeShape, shapeKernels } from '../../../../src/runtime/kernels/float/shape.ts';
import { assertTensor, i64, int, make, runKernel } from './kernel-test-utils.ts';

const values = Array.from({ length: 24 }, (_, i) => i);
const x = make('float32', [2, 3, 4], values);

test('Reshape: 0 copies a dimension, −1 is inferred, allowzero keeps a literal 0', () => {
  assert.deepEqual(reshapeShape([2, 3, 4], [4, 2, 3], false), [4, 2, 3]);
  assert.deepEqual(reshapeShape([2, 3, 4], [0, -1], false), [2, 12]);
  assert.deepEqual(reshapeShape([2, 3, 4], [-1, 0, 2], false), [4, 3, 2]);
  assert.deepEqual(reshapeShape([2, 3, 4], [0, 0, 4], false), [2, 3, 4]);
  assert.deepEqual(reshapeShape([2, 3, 4], [-1], false), [24]);
  assert.deepEqual(reshapeShape([0, 3, 4], [3, 4, 0], true), [3, 4, 0]);
  assert.deepEqual(reshapeShape([], [1, 1], false), [1, 1]);
  assert.deepEqual(reshapeShape([1, 1], [], false), []);
  const [out] = runKernel(shapeKernels, 'Reshape', [x, i64([3, -1])]);
  assertTensor(out, 'float32', [3, 8], values);
  assert.equal(out.data, x.data, 'Reshape shares storage');
  assertTensor(runKernel(shapeKernels, 'Reshape', [make('float32', [0, 3], []), i64([3, 0])], { allowzero: int(1) })[0], 'float32', [3, 0], []);
});

test('Reshape rejects impossible shapes, naming the node', () => {
  const bad = (inShape: number[], target: number[], allowZero = false) => assert.throws(() => reshapeShape(inShape, target, allowZero, 'node "r" (Reshape)'), (e: unknown) => e instanceof ShapeError && /node "r"/.test(e.message), `[${inShape}] → [${target}]`);
  bad([2, 3, 4], [-1, -1]);
  bad([2, 3, 4], [5, -1]);
  bad([2, 3, 4], [2, 3, 5]);
  bad([2, 3, 4], [0, 0, 0, 0]);
  bad([2, 3, 4], [-2, 12]);
  bad([0, 3, 4], [3, 4, 0]);
  bad([0, 3], [0, -1], true);
  assert.throws(() => runKernel(shapeKernels, 'Reshape', [x, i64([-1, -1])]), (e: unknown) => e instanceof ShapeError && /test_Reshape/.test(e.message));
});

test('Flatten splits the shape at axis (negative axes count from the end)', () => {
  const shapes: [number, number[]][] = [[0, [1, 24]], [1, [2, 12]], [2, [6, 4]], [3, [24, 1]], [-1, [6, 4]], [-3, [1, 24]]];
  for (const [axis, shape] of shapes) assertTensor(runKernel(shapeKernels, 'Flatten', [x], { axis: int(axis) })[0], 'float32', shape, values, `axis ${axis}`);
  assertTensor(runKernel(shapeKernels, 'Flatten', [x])[0], 'float32', [2, 12], values);
  assert.throws(() => runKernel(shapeKernels, 'Flatten', [x], { axis: int(4) }), ShapeError);
  assert.throws(() => runKernel(shapeKernels, 'Flatten', [x], { axis: int(-4) }), ShapeError);
});

test('Squeeze and Unsqueeze', () => {
  const y = make('float32', [1, 3, 1, 2], [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(runKernel(shapeKernels, 'Squeeze', [y])[0].shape, [3, 2]);
  assert.deepEqual(runKernel(shapeKernels, 'Squeeze', [y, i64([-2])])[0].shape, [1, 3, 2]);
  assert.deepEqual(runKernel(shapeKernels, 'Squeeze', [y, i64([0, 2])])[0].shape, [3, 2]);
  assert.throws(() => runKernel(shapeKernels, 'Squeeze', [y, i64([1])]), (e: unknown) => e instanceof ShapeError && /test_Squeeze/.test(e.message));
  assert.throws(() => runKernel(shapeKernels, 'Squeeze', [y, i64([4])]), ShapeError);
  const z = make('float32', [3, 2], [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(runKernel(shapeKernels, 'Unsqueeze', [z, i64([0])])[0].shape, [1, 3, 2]);
  assert.deepEqual(runKernel(shapeKernels, 'Unsqueeze', [z, i64([-1])])[0].shape, [3, 2, 1]);
  assert.deepEqual(runKernel(shapeKernels, 'Unsqueeze', [z, i64([3, 0])])[0].shape, [1, 3, 2, 1]);
  assert.deepEqual(runKernel(shapeKernels, 'Unsqueeze', [z, i64([1, 4, 2])])[0].shape, [3, 1, 1, 2, 1]);
  assert.deepEqual(runKernel(shapeKernels, 'Unsqueeze', [make('float32', [], [7]), i64([0])])[0].shape, [1]);
  assert.throws(() => runKernel(shapeKernels, 'Unsqueeze', [z, i64([0, 0])]), ShapeError);
  assert.throws(() => runKernel(shapeKernels, 'Unsqueeze', [z, i64([3])]), ShapeError);
});

test('Shape with start/end (clamped) and Size', () => {
  const y = tensor('float32', [3, 4, 5]);
  const shape = (attrs = {}) => Array.from(runKernel(shapeKernels, 'Shape', [y], attrs)[0].data);
  assert.deepEqual(shape(), [3, 4, 5]);
  assert.deepEqual(shape({ start: int(1) }), [4, 5]);
  assert.deepEqual(shape({ end: int(1) }), [3]);
  assert.deepEqual(shape({ start: int(-1) }), [5]);
  assert.deepEqual(shape({ end: int(-1) }), [3, 4]);
  assert.deepEqual(shape({ start: int(1), end: int(-1) }), [4]);
  assert.deepEqual(shape({ start: int(-10) }), [3, 4, 5]);
  assert.deepEqual(shape({ end: int(10) }), [3, 4, 5]);
  assert.deepEqual(shape({ start: int(2), end: int(1) }), []);
  const [s] = runKernel(shapeKernels, 'Shape', [y]);
  assert.equal(s.dtype, 'int64');
  assertTensor(runKernel(shapeKernels, 'Size', [y])[0], 'int64', [], [60]);
  assertTensor(runKernel(shapeKernels, 'Size', [tensor('float32', [0, 3])])[0], 'int64', [], [0]);
});
