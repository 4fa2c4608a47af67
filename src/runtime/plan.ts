/**
 * The execution plan of a graph for one kernel set, built once per executor: the kernel of
 * every node, checked wiring (every input defined before use, SSA names), and the point after
 * which each value is no longer needed (its last consumer), so the executor can free
 * intermediates as it goes.
 */
import { ModelFormatError, UnsupportedOpError } from '../errors.ts';
import type { Model, Node } from '../ir/graph.ts';
import type { KernelImpl } from './kernel.ts';
import type { KernelRegistry } from './registry.ts';

export interface PlanStep {
  readonly node: Node;
  /** How messages name the node: `node "conv1" (Conv)`, or `node #3 (Conv)` when unnamed. */
  readonly label: string;
  readonly kernel: KernelImpl;
  /** Values whose last use is this step (or that this step produces and nobody reads). */
  readonly release: readonly string[];
}

export interface ExecutionPlan {
  readonly steps: readonly PlanStep[];
  /** Every name the graph defines: inputs, initializers and node outputs. */
  readonly defined: ReadonlySet<string>;
}

/**
 * Resolves the kernel of every node and the release points of every value. Throws
 * UnsupportedOpError listing every op the registry lacks (with node names and the model's opset
 * for the op's domain), and ModelFormatError for broken wiring.
 */
export function planGraph(model: Model, registry: KernelRegistry): ExecutionPlan {
  const graph = model.graph;
  const kernels = resolveKernels(model, registry);
  const defined = new Set<string>();
  const define = (name: string, what: string): void => {
    if (defined.has(name)) throw new ModelFormatError(`graph ${JSON.stringify(graph.name)}: value ${JSON.stringify(name)} is defined twice (${what})`);
    defined.add(name);
  };
  for (const input of graph.inputs) define(input.name, 'graph input');
  for (const name of graph.initializers.keys()) {
    if (!defined.has(name)) define(name, 'initializer');
  }
  const lastUse = new Map<string, number>();
  graph.nodes.forEach((node, index) => {
    for (const name of node.inputs) {
      if (name === '') continue;
      if (!defined.has(name)) {
        throw new ModelFormatError(`${nodeLabelAt(node, index)}: input ${JSON.stringify(name)} is not a graph input, an initializer or an output of an earlier node`);
      }
      lastUse.set(name, index);
    }
    for (const name of node.outputs) {
      if (name === '') continue;
      define(name, `output of ${nodeLabelAt(node, index)}`);
      if (!lastUse.has(name)) lastUse.set(name, index);
    }
  });
  for (const output of graph.outputs) {
    if (!defined.has(output.name)) throw new ModelFormatError(`graph output ${JSON.stringify(output.name)} is never defined`);
  }
  const releases = graph.nodes.map(() => [] as string[]);
  for (const [name, index] of lastUse) {
    if (!graph.initializers.has(name)) releases[index].push(name);
  }
  return { steps: graph.nodes.map((node, i) => ({ node, label: nodeLabelAt(node, i), kernel: kernels[i], release: releases[i] })), defined };
}

/** `node "name" (Op)`, or `node #index (Op)` for an unnamed node. */
export function nodeLabelAt(node: Node, index: number): string {
  return `node ${node.name === '' ? `#${index}` : JSON.stringify(node.name)} (${node.opType})`;
}

function resolveKernels(model: Model, registry: KernelRegistry): KernelImpl[] {
  const kernels: KernelImpl[] = [];
  const missing = new Map<string, string[]>();
  model.graph.nodes.forEach((node, index) => {
    const config = registry.get(node.opType, node.domain);
    if (config !== undefined) {
      kernels.push(config.impl);
      return;
    }
    const domain = node.domain === '' ? 'ai.onnx' : node.domain;
    const opset = model.opsets.get(node.domain) ?? (node.domain === '' ? model.opsets.get('ai.onnx') : undefined);
    const key = `${node.opType} (domain ${domain}, opset ${opset ?? 'unknown'})`;
    missing.set(key, [...(missing.get(key) ?? []), node.name === '' ? `#${index}` : JSON.stringify(node.name)]);
  });
  if (missing.size > 0) {
    const list = [...missing].map(([op, nodes]) => `${op} at node${nodes.length > 1 ? 's' : ''} ${nodes.slice(0, 5).join(', ')}${nodes.length > 5 ? ', ...' : ''}`);
    throw new UnsupportedOpError(`the ${registry.name} kernel set has no kernel for ${missing.size} op${missing.size > 1 ? 's' : ''} of this model: ${list.join('; ')}`);
  }
  return kernels;
}
