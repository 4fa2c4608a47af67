/** Float kernels of the compute-heavy ops (Conv, Gemm, MatMul, pooling, normalisation, softmax). */
import type { KernelConfig } from '../../kernel.ts';
import { batchNormConfig } from './batch-norm.ts';
import { convTransposeConfig } from './conv-transpose.ts';
import { convConfig } from './conv.ts';
import { gemmConfig } from './gemm.ts';
import { globalAveragePoolConfig, globalMaxPoolConfig } from './global-pool.ts';
import { layerNormConfig } from './layer-norm.ts';
import { matmulConfig } from './matmul.ts';
import { averagePoolConfig, maxPoolConfig } from './pool.ts';
import { logSoftmaxConfig, softmaxConfig } from './softmax.ts';

export const computeKernels: readonly KernelConfig[] = [
  convConfig,
  convTransposeConfig,
  gemmConfig,
  matmulConfig,
  maxPoolConfig,
  averagePoolConfig,
  globalAveragePoolConfig,
  globalMaxPoolConfig,
  batchNormConfig,
  layerNormConfig,
  softmaxConfig,
  logSoftmaxConfig,
];
