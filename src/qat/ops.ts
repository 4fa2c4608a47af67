/** The tape's full op set for training and QAT: the IR ops plus the quantizer ops. */
import { irGrads } from './autograd/ops/index.ts';
import { GradRegistry } from './autograd/registry.ts';
import { quantizerOps } from './quantizers/index.ts';

export function trainingOps(): GradRegistry {
  return new GradRegistry([...irGrads, ...quantizerOps]);
}
