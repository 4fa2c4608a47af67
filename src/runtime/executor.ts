/**
 * The executor: runs a Model with one kernel set (float, simulated, integer — the registry
 * decides which). Creation resolves every node's kernel, so an unsupported op fails before
 * anything runs. A run checks the feeds against the declared graph inputs, calls the kernels in
 * topological order, reports every computed value to `onValue` (calibration observers hook in
 * there), and drops each intermediate after its last consumer unless it is fetched. Every
 * tensor a kernel computes is held to the model's `limits.maxTensorElements`, checked before the
 * kernel runs where the op's output shape can be inferred (output-limit.ts).
 */
import { LimitError, QuantkitError, ShapeError, describeError } from '../errors.ts';
import type { Model, Node, ValueInfo } from '../ir/graph.ts';
import { DEFAULT_LIMITS } from '../ir/limits.ts';
import type { Tensor } from '../ir/tensor.ts';
import { turnIfDue } from './event-loop.ts';
import { checkOutputSizes } from './output-limit.ts';
import { planGraph, type ExecutionPlan } from './plan.ts';
import type { KernelRegistry } from './registry.ts';
import { checkValue } from './value-check.ts';

export interface RunOptions {
  /**
   * Called with every value as it becomes available, in execution order: the graph inputs
   * first (producer undefined), then each node's outputs right after the node runs.
   * Initializers are not reported (they are constants, not computed).
   */
  readonly onValue?: (name: string, value: Tensor, producer: Node | undefined) => void;
  /** Intermediate (or input) values to return besides the graph outputs. */
  readonly fetch?: readonly string[];
}

export interface ExecutorOptions {
  /**
   * Also check every node output against the dtype and shape the model declares for it (graph
   * outputs and value_info), throwing ShapeError naming the node. Off by default: it costs a
   * little per value and models' value_info is not always right.
   */
  readonly checkDeclaredValues?: boolean;
}

export interface Executor {
  readonly model: Model;
  readonly registry: KernelRegistry;
  /** Runs the graph; resolves to the graph outputs plus the fetched values, by name. Lets the event loop turn every 50 ms of runs (event-loop.ts). */
  run(feeds: Readonly<Record<string, Tensor>>, options?: RunOptions): Promise<Record<string, Tensor>>;
  /** The same as `run`, synchronously. */
  runSync(feeds: Readonly<Record<string, Tensor>>, options?: RunOptions): Record<string, Tensor>;
}

/**
 * Builds an executor for `model` with the kernels of `registry`. Throws UnsupportedOpError
 * listing every op without a kernel, and ModelFormatError if the graph's wiring is broken.
 */
export function createExecutor(model: Model, registry: KernelRegistry, options: ExecutorOptions = {}): Executor {
  const plan = planGraph(model, registry);
  const fixed = fixedParts(model, plan, options.checkDeclaredValues === true);
  const runSync = (feeds: Readonly<Record<string, Tensor>>, runOptions: RunOptions = {}): Record<string, Tensor> => execute(model, plan, fixed, feeds, runOptions);
  return {
    model,
    registry,
    runSync,
    run: async (feeds, runOptions) => {
      await turnIfDue();
      return runSync(feeds, runOptions);
    },
  };
}

/** What every run of an executor shares, computed once at creation. */
interface FixedParts {
  readonly inputNames: ReadonlySet<string>;
  /** The graph outputs: the values a run keeps when nothing else is fetched. */
  readonly outputNames: ReadonlySet<string>;
  /** Declared dtype/shape per value, when runs check node outputs against them. */
  readonly declared: ReadonlyMap<string, ValueInfo> | undefined;
  /** How messages name output i of step s: `node "conv1" (Conv) output "y"`. */
  readonly outputLabels: readonly (readonly string[])[];
  /** The model's maxTensorElements: no input or computed tensor may be larger. */
  readonly maxElements: number;
}

function fixedParts(model: Model, plan: ExecutionPlan, checkDeclared: boolean): FixedParts {
  return {
    inputNames: new Set(model.graph.inputs.map((input) => input.name)),
    outputNames: new Set(model.graph.outputs.map((output) => output.name)),
    declared: checkDeclared ? declaredValues(model) : undefined,
    outputLabels: plan.steps.map((step) => step.node.outputs.map((name) => `${step.label} output ${JSON.stringify(name)}`)),
    maxElements: model.limits?.maxTensorElements ?? DEFAULT_LIMITS.maxTensorElements,
  };
}

function execute(model: Model, plan: ExecutionPlan, fixed: FixedParts, feeds: Readonly<Record<string, Tensor>>, options: RunOptions): Record<string, Tensor> {
  const graph = model.graph;
  const symbols = new Map<string, number>();
  const values = new Map<string, Tensor>();
  const inputNames = fixed.inputNames;
  for (const name of Object.keys(feeds)) {
    if (!inputNames.has(name)) throw new ShapeError(`feed ${JSON.stringify(name)} is not an input of the graph (inputs: ${[...inputNames].join(', ') || 'none'})`);
  }
  for (const input of graph.inputs) {
    const value = feeds[input.name];
    if (value === undefined) throw new ShapeError(`graph input ${JSON.stringify(input.name)} is missing from the feeds`);
    checkValue(`graph input ${JSON.stringify(input.name)}`, value, input, symbols, fixed.maxElements);
    values.set(input.name, value);
  }
  const fetch = options.fetch ?? [];
  const keep = fetch.length === 0 ? fixed.outputNames : new Set([...fixed.outputNames, ...fetch]);
  for (const name of fetch) {
    if (!plan.defined.has(name)) throw new ShapeError(`fetched value ${JSON.stringify(name)} is not defined by the graph`);
  }
  const declared = fixed.declared;
  const onValue = options.onValue;
  if (onValue !== undefined) for (const input of graph.inputs) onValue(input.name, values.get(input.name)!, undefined);

  const inputs: (Tensor | undefined)[] = [];
  for (let s = 0; s < plan.steps.length; s++) {
    const step = plan.steps[s];
    const node = step.node;
    inputs.length = 0;
    for (const name of node.inputs) inputs.push(name === '' ? undefined : (values.get(name) ?? graph.initializers.get(name)));
    checkOutputSizes(node, inputs, step.label, fixed.maxElements);
    let outputs: Tensor[];
    try {
      outputs = step.kernel(inputs, node);
    } catch (error) {
      throw annotate(error, step.label);
    }
    for (let i = 0; i < node.outputs.length; i++) {
      const name = node.outputs[i];
      if (name === '') continue;
      const value = outputs[i];
      if (value === undefined) throw new QuantkitError('E_KERNEL', `${step.label}: the kernel returned no value for output #${i} ${JSON.stringify(name)}`);
      checkValue(fixed.outputLabels[s][i], value, declared?.get(name), symbols, fixed.maxElements);
      values.set(name, value);
      onValue?.(name, value, node);
    }
    for (const name of step.release) if (!keep.has(name)) values.delete(name);
  }

  const result: Record<string, Tensor> = {};
  for (const name of keep) {
    const value = values.get(name) ?? graph.initializers.get(name);
    if (value !== undefined) result[name] = value;
  }
  return result;
}

/** Declared dtype/shape of node outputs: value_info, with what the graph outputs declare on top. */
function declaredValues(model: Model): Map<string, ValueInfo> {
  const declared = new Map(model.graph.valueInfo);
  for (const output of model.graph.outputs) {
    const info = declared.get(output.name);
    declared.set(output.name, { name: output.name, dtype: output.dtype ?? info?.dtype, shape: output.shape ?? info?.shape });
  }
  return declared;
}

/** Makes a kernel failure name its node: QuantkitErrors get a prefix, anything else is wrapped. */
function annotate(error: unknown, where: string): Error {
  if (error instanceof QuantkitError) {
    if (!error.message.includes(where)) error.message = `${where}: ${error.message}`;
    return error;
  }
  if (error instanceof RangeError) return new LimitError(`${where}: ${describeError(error)}`, { cause: error });
  return new QuantkitError('E_KERNEL', `${where}: kernel failed: ${describeError(error)}`, { cause: error });
}
