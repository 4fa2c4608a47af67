import { test } from 'node:test';
import { checkGradients, random64 } from '../grad-check.ts';

test('Gemm: ∂A, ∂B, ∂C for every transA/transB with α, β and a broadcast C', () => {
  for (const transA of [0, 1]) {
    for (const transB of [0, 1]) {
      const a = random64(transA ? [4, 3] : [3, 4], 20 + transA);
      const b = random64(transB ? [5, 4] : [4, 5], 22 + transB);
      checkGradients('Gemm', [['a', a], ['b', b], ['c', random64([5], 24)]], { attributes: { transA, transB, alpha: 0.7, beta: 1.5 } });
    }
  }
  checkGradients('Gemm', [['a', random64([3, 4], 25)], ['b', random64([4, 2], 26)], ['c', random64([3, 1], 27)]]);
});

test('MatMul: 2-D, batched with a shared weight, broadcast batch axes and 1-D operands', () => {
  checkGradients('MatMul', [['a', random64([3, 4], 30)], ['b', random64([4, 2], 31)]]);
  checkGradients('MatMul', [['a', random64([2, 3, 4], 32)], ['b', random64([4, 5], 33)]]);
  checkGradients('MatMul', [['a', random64([2, 1, 3, 4], 34)], ['b', random64([3, 4, 2], 35)]]);
  checkGradients('MatMul', [['a', random64([4], 36)], ['b', random64([2, 4, 3], 37)]]);
  checkGradients('MatMul', [['a', random64([2, 3, 4], 38)], ['b', random64([4], 39)]]);
});
