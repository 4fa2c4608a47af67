/** Float kernels of elementwise, reduction and data-movement ops. */
import type { KernelConfig } from '../../kernel.ts';

export const tensorKernels: readonly KernelConfig[] = [];
