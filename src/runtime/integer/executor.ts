/**
 * The integer executor: a quantized model lowered to integer ops (lower.ts; a model already in
 * QOperator form passes unchanged) and run with the integer kernel set.
 */
import type { Model } from '../../ir/graph.ts';
import { createExecutor, type Executor, type ExecutorOptions } from '../executor.ts';
import { integerKernels } from '../kernels/integer/register.ts';
import { lowerToInteger, type IntegerLowering, type LowerOptions } from './lower.ts';

export interface IntegerExecutor extends Executor {
  /** What the lowering did: float nodes left, layers lowered, accumulator bounds. */
  readonly lowering: IntegerLowering;
}

/** Lowers `model` (QDQ parts → integer ops) and builds an executor over the integer kernels. */
export function createIntegerExecutor(model: Model, options: ExecutorOptions & LowerOptions = {}): IntegerExecutor {
  const lowering = lowerToInteger(model, options);
  return { ...createExecutor(lowering.model, integerKernels(), options), lowering };
}
