import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UnsupportedOpError } from '../../../../src/errors.ts';
import { identityKernels } from '../../../../src/runtime/kernels/float/identity.ts';
import { assertTensor, make, runKernel } from './kernel-test-utils.ts';

test('Identity returns the same values and shape', () => {
  const x = make('int64', [2, 2], [1, 2, 3, 4]);
  const [out] = runKernel(identityKernels, 'Identity', [x]);
  assertTensor(out, 'int64', [2, 2], [1, 2, 3, 4]);
  assert.notEqual(out, x);
});

test('Dropout at inference is identity, with an all-true mask when asked for', () => {
  const x = make('float32', [3], [1, -2, 3]);
  const outs = runKernel(identityKernels, 'Dropout', [x, make('float32', [], [0.5])], {}, 2);
  assert.equal(outs.length, 2);
  assertTensor(outs[0], 'float32', [3], [1, -2, 3]);
  assertTensor(outs[1], 'bool', [3], [1, 1, 1]);
  assert.equal(runKernel(identityKernels, 'Dropout', [x]).length, 1);
  // training_mode = false or ratio = 0 is still identity.
  assertTensor(runKernel(identityKernels, 'Dropout', [x, make('float32', [], [0]), make('bool', [], [1])])[0], 'float32', [3], [1, -2, 3]);
  assert.throws(() => runKernel(identityKernels, 'Dropout', [x, undefined, make('bool', [], [1])]), UnsupportedOpError);
});
