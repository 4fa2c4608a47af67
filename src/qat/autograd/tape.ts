/**
 * Reverse-mode automatic differentiation over the IR: `forward` runs a Model's nodes in their
 * (topological) order with the GradOps of a registry, recording each node that depends on a value
 * in `wrt`; `backward` then walks the record in reverse, feeding each node the gradients of its
 * outputs and summing what it returns into the gradients of its inputs (a value read by several
 * nodes gets the sum of their contributions). Only nodes on a path from `wrt` are recorded, and a
 * node is asked only for the input gradients that lead back to `wrt` (no gradient of the image).
 */
import { ShapeError } from '../../errors.ts';
import type { Model, Node } from '../../ir/graph.ts';
import { tensor, type Tensor } from '../../ir/tensor.ts';
import type { OpRecord, TapeContext } from './grad-op.ts';
import type { GradRegistry } from './registry.ts';

export interface ForwardOptions extends TapeContext {
  /** Values (initializers or graph inputs) to differentiate with respect to; none by default. */
  readonly wrt?: ReadonlySet<string>;
  /** Initializer values that replace the graph's own: the trainer's current parameters and state. */
  readonly values?: ReadonlyMap<string, Tensor>;
}

export interface TapeRun {
  /** Every graph input and node output, by name. */
  readonly values: ReadonlyMap<string, Tensor>;
  /** New values of state initializers (BatchNormalization running statistics), by name. */
  readonly updates: ReadonlyMap<string, Tensor>;
  /**
   * The reverse pass from `seeds` (value → ∂loss/∂value, e.g. the loss itself → 1): the gradients
   * of the `wrt` values that the seeds reach. Consumes the record: call it once.
   */
  backward(seeds: ReadonlyMap<string, Tensor>): Map<string, Tensor>;
}

interface Step {
  readonly node: Node;
  readonly record: OpRecord;
  /** Per input: does it lead back to a `wrt` value? */
  readonly wanted: readonly boolean[];
}

export function forward(model: Model, registry: GradRegistry, feeds: Readonly<Record<string, Tensor>>, options: ForwardOptions): TapeRun {
  const graph = model.graph;
  const values = new Map<string, Tensor>();
  for (const input of graph.inputs) {
    const value = feeds[input.name];
    if (value === undefined) throw new ShapeError(`graph input ${JSON.stringify(input.name)} is missing from the feeds`);
    values.set(input.name, value);
  }
  const read = (name: string): Tensor | undefined => (name === '' ? undefined : (values.get(name) ?? options.values?.get(name) ?? graph.initializers.get(name)));
  const tracked = new Set(options.wrt ?? []);
  const steps: Step[] = [];
  const updates = new Map<string, Tensor>();
  const context: TapeContext = { training: options.training };
  for (const node of graph.nodes) {
    const inputs = node.inputs.map(read);
    const record = registry.require(node).forward(inputs, node, context);
    node.outputs.forEach((name, i) => {
      if (name !== '') values.set(name, record.outputs[i]);
    });
    for (const [index, value] of record.updates ?? []) updates.set(node.inputs[index], value);
    const wanted = node.inputs.map((name) => name !== '' && tracked.has(name));
    if (wanted.some(Boolean)) {
      steps.push({ node, record, wanted });
      for (const name of node.outputs) if (name !== '') tracked.add(name);
    }
  }
  let used = false;
  return {
    values,
    updates,
    backward(seeds) {
      if (used) throw new Error('TapeRun.backward: the record was already consumed');
      used = true;
      const grads = new Map<string, Tensor>();
      for (const [name, g] of seeds) accumulate(grads, name, g);
      for (let s = steps.length - 1; s >= 0; s--) {
        const { node, record, wanted } = steps[s];
        const gradOutputs = node.outputs.map((name) => (name === '' ? undefined : grads.get(name)));
        if (gradOutputs.every((g) => g === undefined)) continue;
        const gradInputs = record.backward(gradOutputs, wanted);
        node.inputs.forEach((name, i) => {
          const g = gradInputs[i];
          if (wanted[i] && g !== undefined) accumulate(grads, name, g);
        });
        steps[s] = undefined as unknown as Step; // let the saved activations go
      }
      const result = new Map<string, Tensor>();
      for (const name of options.wrt ?? []) {
        const g = grads.get(name);
        if (g !== undefined) result.set(name, g);
      }
      return result;
    },
  };
}

/** grads[name] += g, into new storage: a returned gradient may share storage with another. */
function accumulate(grads: Map<string, Tensor>, name: string, g: Tensor): void {
  const existing = grads.get(name);
  if (existing === undefined) {
    grads.set(name, g);
    return;
  }
  if (existing.data.length !== g.data.length) throw new ShapeError(`gradient of ${JSON.stringify(name)}: ${g.data.length} elements added to ${existing.data.length}`);
  const sum = tensor(existing.dtype, existing.shape);
  for (let i = 0; i < sum.data.length; i++) sum.data[i] = existing.data[i] + g.data[i];
  grads.set(name, sum);
}
