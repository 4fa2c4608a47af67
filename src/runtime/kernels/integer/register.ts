/**
 * The integer kernel set: the integer-only ops of this folder, plus — reused by reference, never
 * copied — the float kernels (data movement and shape ops on integer tensors: Reshape, Flatten,
 * Transpose, Squeeze, Unsqueeze, Slice, Split, Gather, Concat of one grid, Identity, Clip, Shape,
 * MaxPool, ...; and the compute ops that stay float: Softmax, LayerNormalization, ...) and the
 * ONNX quantization kernels at the float boundaries (QuantizeLinear, DequantizeLinear, ...). The
 * integer QLinearConv and QLinearMatMul replace the quantization set's float-requantizing ones.
 */
import type { KernelConfig } from '../../kernel.ts';
import { KernelRegistry } from '../../registry.ts';
import { computeKernels } from '../float/compute-kernels.ts';
import { tensorKernels } from '../float/tensor-kernels.ts';
import { quantKernels } from '../quant/register.ts';
import { qlinearLeakyReluConfig, qlinearLookupConfig, qlinearSigmoidConfig } from './lookup.ts';
import { qgemmConfig } from './qgemm.ts';
import { qlinearAddConfig, qlinearMulConfig } from './qlinear-binary.ts';
import { qlinearConcatConfig } from './qlinear-concat.ts';
import { qlinearConvConfig } from './qlinear-conv.ts';
import { qlinearMatMulConfig } from './qlinear-matmul.ts';
import { qlinearAveragePoolConfig, qlinearGlobalAveragePoolConfig } from './qlinear-pool.ts';

/** The kernels with integer-only arithmetic (fixed-point requantization, lookup tables). */
export const integerOnlyKernels: readonly KernelConfig[] = [
  qlinearConvConfig,
  qlinearMatMulConfig,
  qgemmConfig,
  qlinearAddConfig,
  qlinearMulConfig,
  qlinearAveragePoolConfig,
  qlinearGlobalAveragePoolConfig,
  qlinearConcatConfig,
  qlinearSigmoidConfig,
  qlinearLeakyReluConfig,
  qlinearLookupConfig,
];

const replaced = new Set(integerOnlyKernels.map((config) => `${config.domain ?? ''}::${config.op}`));

/**
 * A new registry named 'integer': integerOnlyKernels, the float kernels, and the ONNX quantization
 * kernels except the QLinearConv / QLinearMatMul that integerOnlyKernels replace.
 */
export function integerKernels(): KernelRegistry {
  const boundary = quantKernels.filter((config) => !replaced.has(`${config.domain ?? ''}::${config.op}`));
  return new KernelRegistry('integer', [...computeKernels, ...tensorKernels, ...boundary, ...integerOnlyKernels]);
}
