import { test } from 'node:test';
import { checkGradients, random64 } from '../grad-check.ts';

test('Conv 3×3 with padding and bias: ∂X, ∂W, ∂B match finite differences', () => {
  checkGradients('Conv', [['x', random64([2, 3, 6, 5], 1)], ['w', random64([4, 3, 3, 3], 2)], ['b', random64([4], 3)]], { attributes: { pads: [1, 1, 1, 1] } });
});

test('Conv with stride 2, dilation 2, asymmetric pads and no bias', () => {
  checkGradients('Conv', [['x', random64([1, 2, 9, 8], 4)], ['w', random64([3, 2, 2, 3], 5)]], { attributes: { strides: [2, 2], dilations: [2, 1], pads: [1, 0, 0, 2] } });
});

test('Conv with groups, depthwise (one input channel per group, multiplier 2) and 1-D', () => {
  checkGradients('Conv', [['x', random64([2, 4, 5, 5], 6)], ['w', random64([4, 2, 3, 3], 7)], ['b', random64([4], 8)]], { attributes: { group: 2, pads: [1, 1, 1, 1] } });
  checkGradients('Conv', [['x', random64([2, 3, 6, 6], 9)], ['w', random64([6, 1, 3, 3], 10)]], { attributes: { group: 3, strides: [2, 1] } });
  checkGradients('Conv', [['x', random64([2, 2, 7], 11)], ['w', random64([3, 2, 3], 12)]], { attributes: { pads: [2, 1] } });
});

test('Conv 1×1 (the pointwise path: no im2col) with groups', () => {
  checkGradients('Conv', [['x', random64([2, 4, 3, 3], 13)], ['w', random64([6, 2, 1, 1], 14)], ['b', random64([6], 15)]], { attributes: { group: 2 } });
});

test('Conv: only the weight gradient when the input is not differentiated', () => {
  checkGradients('Conv', [['x', random64([1, 1, 5, 5], 16)], ['w', random64([2, 1, 3, 3], 17)]], { wrt: ['w'] });
});
