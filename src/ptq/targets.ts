/**
 * Which tensors a quantized graph quantizes, and which share parameters — decided from the op
 * roles (roles.ts) walking the graph in topological order:
 *
 * - a weighted layer quantizes its data input, its weight and bias, and its output — unless its
 *   only consumer is a Relu/Clip it fuses with, whose output is quantized instead (no Q/DQ in
 *   between: the activation becomes the integer clamp of the requantized output);
 * - a compute op quantizes its data inputs and outputs;
 * - a passthrough op's output joins its input's group when the input is quantized;
 * - a concat's inputs and output form one group.
 * Everything else, and every excluded node, runs in float.
 */
import type { Graph, Node } from '../ir/graph.ts';
import { isExcluded, type PtqConfig } from './config.ts';
import { fusedActivation } from './passes/fused-activation.ts';
import { roleOf, type WeightedRole } from './roles.ts';

export interface WeightedLayer {
  readonly node: Node;
  readonly role: WeightedRole;
  readonly input: string;
  readonly weight: string;
  readonly bias?: string;
  /** The Relu/Clip node fused into this layer, if any. */
  readonly activation?: Node;
}

export interface QuantTargets {
  /** Quantized activation tensors, in the order they are produced. */
  readonly activations: readonly string[];
  /** Each quantized activation → the first member of its shared-parameter group. */
  readonly groupOf: ReadonlyMap<string, string>;
  readonly layers: readonly WeightedLayer[];
  /** Names of nodes that run in float (excluded, or no quantized form). */
  readonly floatNodes: readonly string[];
}

export function findTargets(graph: Graph, config: PtqConfig): QuantTargets {
  const isActivation = floatActivationTest(graph);
  const quantized = new Set<string>();
  const order: string[] = [];
  const parent = new Map<string, string>();
  const find = (t: string): string => {
    let root = t;
    while (parent.has(root)) root = parent.get(root)!;
    return root;
  };
  const add = (t: string) => {
    if (!quantized.has(t)) {
      quantized.add(t);
      order.push(t);
    }
  };
  const union = (a: string, b: string) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(rb, ra);
  };
  const layers: WeightedLayer[] = [];
  const floatNodes: string[] = [];
  const fusedInputs = new Set<string>(); // outputs of weighted layers consumed by their fused activation

  for (const node of graph.nodes) {
    const role = roleOf(node);
    if (role === undefined || isExcluded(config, node.name, node.opType)) {
      floatNodes.push(node.name);
      continue;
    }
    const floatOutputs = node.outputs.filter((o) => o !== '' && isActivation(o));
    if (role.kind === 'weighted') {
      const weight = node.inputs[role.weightInput];
      const input = node.inputs[0];
      if (weight !== undefined && graph.initializers.get(weight)?.dtype === 'float32' && isActivation(input)) {
        const bias = role.biasInput === undefined ? undefined : node.inputs[role.biasInput];
        const fused = fusedActivation(graph, node);
        const activation = fused && !isExcluded(config, fused.node.name, fused.node.opType) ? fused.node : undefined;
        layers.push({
          node,
          role,
          input,
          weight,
          ...(bias && graph.initializers.get(bias)?.dtype === 'float32' ? { bias } : {}),
          ...(activation ? { activation } : {}),
        });
        add(input);
        if (activation) fusedInputs.add(node.outputs[0]);
        else floatOutputs.forEach(add);
        continue;
      }
      // A weight computed at run time (e.g. attention's Q·Kᵀ): quantize both operands as data.
      node.inputs.filter(isActivation).forEach(add);
      floatOutputs.forEach(add);
      continue;
    }
    if (role.kind === 'compute') {
      const data = role.inputs === 'all' ? node.inputs : node.inputs.slice(0, 1);
      data.filter((t) => isActivation(t) && !fusedInputs.has(t)).forEach(add);
      floatOutputs.forEach(add);
      continue;
    }
    if (role.kind === 'passthrough') {
      const input = node.inputs[0];
      if (quantized.has(input)) {
        for (const o of floatOutputs) {
          add(o);
          union(input, o);
        }
      } else {
        floatNodes.push(node.name);
      }
      continue;
    }
    // concat: one group for all float inputs and the output.
    const members = [...node.inputs.filter(isActivation), ...floatOutputs];
    members.forEach(add);
    for (const m of members.slice(1)) union(members[0], m);
  }
  const groupOf = new Map(order.map((t) => [t, find(t)]));
  return { activations: order, groupOf, layers, floatNodes };
}

/** True for values that carry float32 data at run time (graph inputs and node outputs, not initializers). */
export function floatActivationTest(graph: Graph): (name: string) => boolean {
  const dtypes = new Map<string, string | undefined>();
  for (const input of graph.inputs) dtypes.set(input.name, input.dtype);
  for (const [name, info] of graph.valueInfo) dtypes.set(name, info.dtype);
  for (const output of graph.outputs) if (output.dtype !== undefined) dtypes.set(output.name, output.dtype);
  return (name) => name !== '' && !graph.initializers.has(name) && dtypes.get(name) === 'float32';
}
