import { test } from 'node:test';
import { tensor } from '../../../../src/ir/tensor.ts';
import { checkGradients, random64 } from '../grad-check.ts';

test('Add, Sub, Mul with equal shapes and with numpy broadcasting (per-channel, scalar, both sides)', () => {
  for (const op of ['Add', 'Sub', 'Mul']) {
    checkGradients(op, [['a', random64([2, 3], 40)], ['b', random64([2, 3], 41)]]);
    checkGradients(op, [['a', random64([2, 3, 4, 4], 42)], ['b', random64([3, 1, 1], 43)]]);
    checkGradients(op, [['a', random64([], 44)], ['b', random64([2, 3], 45)]]);
    checkGradients(op, [['a', random64([4, 1], 46)], ['b', random64([1, 5], 47)]]);
  }
});

test('Relu and Clip pass the gradient inside their linear pieces only', () => {
  checkGradients('Relu', [['x', random64([3, 7], 50)]]);
  const lo = tensor('float64', [], Float64Array.of(-0.3));
  const hi = tensor('float64', [], Float64Array.of(0.4));
  checkGradients('Clip', [['x', random64([4, 9], 51)], ['lo', lo], ['hi', hi]], { wrt: ['x'] });
  checkGradients('Clip', [['x', random64([4, 9], 52)], ['lo', undefined], ['hi', hi]], { wrt: ['x'] });
});
