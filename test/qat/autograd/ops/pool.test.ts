import { test } from 'node:test';
import { checkGradients, random64 } from '../grad-check.ts';

test('MaxPool: 2×2 stride 2, and 3×3 stride 2 with padding and ceil_mode', () => {
  checkGradients('MaxPool', [['x', random64([2, 3, 6, 6], 60)]], { attributes: { kernel_shape: [2, 2], strides: [2, 2] } });
  checkGradients('MaxPool', [['x', random64([1, 2, 7, 6], 61)]], { attributes: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1 } });
});

test('AveragePool with and without count_include_pad', () => {
  for (const count_include_pad of [0, 1]) {
    checkGradients('AveragePool', [['x', random64([2, 2, 5, 6], 62)]], { attributes: { kernel_shape: [3, 2], strides: [2, 1], pads: [1, 0, 1, 1], count_include_pad } });
  }
});

test('GlobalAveragePool', () => {
  checkGradients('GlobalAveragePool', [['x', random64([2, 3, 4, 5], 63)]]);
});
