/** The executor a command runs a model with: `--engine auto` picks integer-only for quantized models. */
import type { Model } from '../ir/graph.ts';
import { quantizedForm } from '../onnx/qoperator/import.ts';
import { createExecutor, type Executor } from '../runtime/executor.ts';
import { prepareQuantizedModel } from '../runtime/integer/load.ts';
import { floatKernels } from '../runtime/kernels/float/register.ts';
import { integerKernels } from '../runtime/kernels/integer/register.ts';
import { simulatedKernels } from '../runtime/kernels/simulated/register.ts';

export type Engine = 'auto' | 'float' | 'simulated' | 'integer';
export const ENGINES: readonly Engine[] = ['auto', 'float', 'simulated', 'integer'];

/** The executor, the engine chosen, and the nodes the integer executor leaves in float. */
export function executorFor(model: Model, requested: Engine): { executor: Executor; engine: Exclude<Engine, 'auto'>; floatNodes?: readonly string[] } {
  const engine = requested === 'auto' ? (quantizedForm(model) === 'float' ? 'float' : 'integer') : requested;
  if (engine === 'float') return { executor: createExecutor(model, floatKernels()), engine };
  if (engine === 'simulated') return { executor: createExecutor(model, simulatedKernels()), engine };
  const prepared = prepareQuantizedModel(model);
  return { executor: createExecutor(prepared.model, integerKernels()), engine, floatNodes: prepared.lowering.floatNodes };
}
