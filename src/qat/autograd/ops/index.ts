/** The IR ops the tape differentiates: an explicit list, so what training supports is visible in one place. */
import type { GradOp } from '../grad-op.ts';
import { batchNormGrad } from './batch-norm.ts';
import { convGrad } from './conv.ts';
import { elementwiseGrads } from './elementwise.ts';
import { gemmGrad, matmulGrad } from './gemm.ts';
import { poolGrads } from './pool.ts';
import { shapeGrads } from './shape.ts';
import { softmaxCrossEntropyGrad } from './softmax-cross-entropy.ts';

export const irGrads: readonly GradOp[] = [
  convGrad,
  gemmGrad,
  matmulGrad,
  ...elementwiseGrads,
  ...poolGrads,
  batchNormGrad,
  ...shapeGrads,
  softmaxCrossEntropyGrad,
];
