import { test } from 'node:test';
import assert from 'node:assert/strict';
import { intWindow } from '../../../../src/runtime/kernels/float/small-int.ts';
import { convWindow } from '../../../../src/runtime/kernels/float/window.ts';
import { makeNode } from '../../helpers.ts';

test('intWindow keeps every number of a window (values as the importer gives them: doubles)', () => {
  const node = makeNode('Conv', ['X', 'W'], ['Y'], { strides: [2, 1], dilations: [1, 3], pads: [1, 0, 2, 1] });
  // Float64Array.from(...) spread back into arrays: numbers stored as doubles, like imported shapes.
  const window = convWindow(node, [...Float64Array.of(17, 9)], [...Float64Array.of(3, 2)]);
  const ints = intWindow(window);
  assert.deepEqual(ints, window);
  assert.deepEqual(ints.input, [1, 17, 9]);
  assert.deepEqual(ints.padEnd, [0, 2, 1]);
});
