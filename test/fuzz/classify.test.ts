import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classify } from '../../src/fuzz/classify.ts';
import { LimitError, QuantkitError, ShapeError } from '../../src/errors.ts';

test('typed errors are refusals; untyped errors, and typed wrappers hiding them, are crashes', () => {
  assert.deepEqual(classify(new ShapeError('x does not fit')), { kind: 'error', code: 'E_SHAPE', message: 'x does not fit' });
  assert.equal(classify(new LimitError('too big', { cause: new RangeError('Array buffer allocation failed') })).kind, 'error');
  assert.equal(classify(new LimitError('too big', { cause: new RangeError('Invalid typed array length: 4294967296') })).kind, 'error');
  const error = new TypeError("Cannot read properties of undefined (reading 'shape')");
  error.stack = `${error.message}\n    at check (file:///w/test/x.test.ts:1:1)\n    at convImpl (file:///w/src/runtime/kernels/float/conv.ts:55:10)`;
  assert.deepEqual(classify(error), { kind: 'crash', message: "TypeError: Cannot read properties of undefined (reading 'shape') (convImpl src/runtime/kernels/float/conv.ts:55)" });
  assert.equal(classify(new QuantkitError('E_KERNEL', 'kernel failed', { cause: new TypeError('x') })).kind, 'crash');
  assert.equal(classify(new LimitError('n: Offset is outside the bounds of the DataView', { cause: new RangeError('Offset is outside the bounds of the DataView') })).kind, 'crash');
  assert.equal(classify(new LimitError('n: stack', { cause: new RangeError('Maximum call stack size exceeded') })).kind, 'crash');
  assert.match(classify('a string').message, /non-Error thrown: a string/);
});
