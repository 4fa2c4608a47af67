/** Float kernels of elementwise, reduction and data-movement ops. */
import type { KernelConfig } from '../../kernel.ts';
import { activationKernels } from './activation.ts';
import { argmaxKernels } from './argmax.ts';
import { binaryKernels } from './binary.ts';
import { castKernels } from './cast.ts';
import { clipKernels } from './clip.ts';
import { concatSplitKernels } from './concat-split.ts';
import { constantKernels } from './constant.ts';
import { expandKernels } from './expand.ts';
import { gatherKernels } from './gather.ts';
import { identityKernels } from './identity.ts';
import { logicalKernels } from './logical.ts';
import { padKernels } from './pad.ts';
import { reduceKernels } from './reduce.ts';
import { resizeKernels } from './resize.ts';
import { shapeKernels } from './shape.ts';
import { sliceKernels } from './slice.ts';
import { transposeKernels } from './transpose.ts';
import { unaryKernels } from './unary.ts';
import { whereKernels } from './where.ts';

export const tensorKernels: readonly KernelConfig[] = [
  ...binaryKernels,
  ...logicalKernels,
  ...whereKernels,
  ...unaryKernels,
  ...activationKernels,
  ...clipKernels,
  ...identityKernels,
  ...castKernels,
  ...shapeKernels,
  ...transposeKernels,
  ...expandKernels,
  ...gatherKernels,
  ...sliceKernels,
  ...concatSplitKernels,
  ...padKernels,
  ...reduceKernels,
  ...argmaxKernels,
  ...resizeKernels,
  ...constantKernels,
];
