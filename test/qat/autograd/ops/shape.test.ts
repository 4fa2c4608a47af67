import { test } from 'node:test';
import { tensor } from '../../../../src/ir/tensor.ts';
import { checkGradients, random64 } from '../grad-check.ts';

test('Flatten and Reshape pass the gradient back in the input shape', () => {
  checkGradients('Flatten', [['x', random64([2, 3, 2, 2], 80)]], { attributes: { axis: 1 } });
  checkGradients('Reshape', [['x', random64([2, 6], 81)], ['shape', tensor('int64', [3], Float64Array.of(3, -1, 2))]], { wrt: ['x'] });
});
