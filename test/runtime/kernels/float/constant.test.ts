import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModelFormatError, ShapeError, UnsupportedOpError } from '../../../../src/errors.ts';
import type { Attribute } from '../../../../src/ir/graph.ts';
import { tensor } from '../../../../src/ir/tensor.ts';
import { constantKernels } from '../../../../src/runtime/kernels/float/constant.ts';
import { assertTensor, float, i64, int, ints, make, runKernel, str } from './kernel-test-utils.ts';

const constant = (attributes: Record<string, Attribute>) => runKernel(constantKernels, 'Constant', [], attributes)[0];

test('Constant: every attribute form', () => {
  const value = make('int8', [2], [-1, 5]);
  assert.equal(constant({ value: { type: 'tensor', value } }), value);
  assertTensor(constant({ value_float: float(1.5) }), 'float32', [], [1.5]);
  assertTensor(constant({ value_floats: { type: 'floats', value: [1, 2.5] } }), 'float32', [2], [1, 2.5]);
  assertTensor(constant({ value_int: int(-7) }), 'int64', [], [-7]);
  assertTensor(constant({ value_ints: ints([3, 4, 5]) }), 'int64', [3], [3, 4, 5]);
});

test('Constant: none, two, string or sparse values are rejected', () => {
  assert.throws(() => constant({}), ModelFormatError);
  assert.throws(() => constant({ value_int: int(1), value_float: float(1) }), ModelFormatError);
  assert.throws(() => constant({ value_string: str('a') }), (e: unknown) => e instanceof UnsupportedOpError && /test_Constant/.test(e.message));
  assert.throws(() => constant({ sparse_value: { type: 'tensor', value: tensor('float32', [1]) } }), UnsupportedOpError);
});

test('ConstantOfShape fills with the value attribute (float32 0 by default)', () => {
  assertTensor(runKernel(constantKernels, 'ConstantOfShape', [i64([2, 3])])[0], 'float32', [2, 3], [0, 0, 0, 0, 0, 0]);
  assertTensor(runKernel(constantKernels, 'ConstantOfShape', [i64([3])], { value: { type: 'tensor', value: make('int32', [1], [7]) } })[0], 'int32', [3], [7, 7, 7]);
  assertTensor(runKernel(constantKernels, 'ConstantOfShape', [i64([0])], { value: { type: 'tensor', value: make('int32', [1], [7]) } })[0], 'int32', [0], []);
  assertTensor(runKernel(constantKernels, 'ConstantOfShape', [i64([])], { value: { type: 'tensor', value: make('float32', [1], [1]) } })[0], 'float32', [], [1]);
  assert.throws(() => runKernel(constantKernels, 'ConstantOfShape', [i64([-1])]), (e: unknown) => e instanceof ShapeError && /test_ConstantOfShape/.test(e.message));
  assert.throws(() => runKernel(constantKernels, 'ConstantOfShape', [i64([2])], { value: { type: 'tensor', value: make('float32', [2], [1, 2]) } }), ShapeError);
});
