/** Float kernels of the compute-heavy ops (Conv, Gemm, MatMul, pooling, normalisation, softmax). */
import type { KernelConfig } from '../../kernel.ts';

export const computeKernels: readonly KernelConfig[] = [];
