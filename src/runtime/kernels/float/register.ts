/** The float kernel set: an explicit list, so what the runtime supports is visible in one place. */
import { KernelRegistry } from '../../registry.ts';
import { computeKernels } from './compute-kernels.ts';
import { tensorKernels } from './tensor-kernels.ts';

export function floatKernels(): KernelRegistry {
  return new KernelRegistry('float', [...computeKernels, ...tensorKernels]);
}
