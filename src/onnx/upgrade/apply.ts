/**
 * Applies the upgrade table to a graph: every default-domain node is brought from the model's
 * opset to the newest form, node by node in topological order. Shapes are inferred as the walk
 * goes, so a step can ask for an input's rank (Softmax, legacy broadcast).
 */
import { UnsupportedOpError } from '../../errors.ts';
import type { Attribute, Graph, Node, ValueInfo } from '../../ir/graph.ts';
import type { UniqueNames } from '../../ir/names.ts';
import { inferNodeSafely } from '../../ir/shape-inference.ts';
import type { Tensor } from '../../ir/tensor.ts';
import { describeNode } from '../../ir/topology.ts';
import { consumedInputsStep, UNSUPPORTED_BEFORE } from './legacy.ts';
import { UPGRADES } from './table.ts';
import type { UpgradeContext, UpgradeRecord, UpgradeStep } from './types.ts';

export interface UpgradeEnv {
  /** Names the model (file) for messages. */
  readonly what: string;
  /** Model-wide name generator (new constants must not collide with any scope). */
  readonly names: UniqueNames;
  /** Receives a record of every change made. */
  readonly records: UpgradeRecord[];
}

type Lookup = (name: string) => ValueInfo | undefined;

function stepsFor(node: Node, opset: number): UpgradeStep[] {
  const own = (UPGRADES[node.opType] ?? []).filter((step) => step.since > opset);
  return opset < consumedInputsStep.since ? [consumedInputsStep, ...own].sort((a, b) => a.since - b.since) : own;
}

/** The graph with every node of the default domain in its newest form; records what changed. */
export function upgradeGraph(graph: Graph, opset: number, env: UpgradeEnv, outer: Lookup = () => undefined): Graph {
  const initializers = new Map<string, Tensor>(graph.initializers);
  const known = new Map<string, ValueInfo>();
  for (const value of [...graph.inputs, ...graph.outputs]) known.set(value.name, value);
  for (const [name, value] of graph.valueInfo) known.set(name, value);
  const info: Lookup = (name) => {
    const constant = initializers.get(name);
    if (constant !== undefined) return { name, dtype: constant.dtype, shape: constant.shape };
    return known.get(name) ?? outer(name);
  };
  const nodes: Node[] = [];
  graph.nodes.forEach((original, index) => {
    const what = `${env.what}: ${describeNode(original, index)}`;
    let results: readonly Node[] = [upgradeSubgraphs(original, opset, env, info)];
    if (original.domain === '') {
      const unsupported = UNSUPPORTED_BEFORE[original.opType];
      if (unsupported !== undefined && opset < unsupported.since) {
        throw new UnsupportedOpError(`${what}: ${original.opType} before opset ${unsupported.since} is not supported (${unsupported.why}); the model has opset ${opset}`);
      }
      const ctx: UpgradeContext = {
        opset,
        what,
        constant: (base, value) => {
          const name = env.names.next(base);
          initializers.set(name, value);
          return name;
        },
        fresh: (base) => env.names.next(base),
        initializer: (name) => initializers.get(name),
        info,
      };
      for (const step of stepsFor(original, opset)) {
        // Multi-node rewrites and op changes produce newest forms: later steps do not apply.
        if (results.length !== 1 || results[0].opType !== original.opType) break;
        const current = results[0];
        const output = step.apply(current, ctx);
        results = Array.isArray(output) ? output : [output as Node];
        if (results.length !== 1 || results[0] !== current) {
          env.records.push({ node: describeNode(original, index), opType: original.opType, fromOpset: opset, toOpset: step.since, change: step.change });
        }
      }
    }
    for (const node of results) {
      nodes.push(node);
      inferNodeSafely(node, { info, constant: (name) => initializers.get(name) }).forEach((inferred, i) => {
        const name = node.outputs[i];
        if (inferred !== undefined && name !== undefined && name !== '' && !known.has(name)) known.set(name, { name, ...inferred });
      });
    }
  });
  return { ...graph, nodes, initializers };
}

function upgradeSubgraphs(node: Node, opset: number, env: UpgradeEnv, outer: Lookup): Node {
  let changed = false;
  const attributes: Record<string, Attribute> = {};
  for (const [key, attribute] of Object.entries(node.attributes)) {
    if (attribute.type === 'graph') {
      attributes[key] = { type: 'graph', value: upgradeGraph(attribute.value, opset, env, outer) };
      changed = true;
    } else if (attribute.type === 'graphs') {
      attributes[key] = { type: 'graphs', value: attribute.value.map((g) => upgradeGraph(g, opset, env, outer)) };
      changed = true;
    } else {
      attributes[key] = attribute;
    }
  }
  return changed ? { ...node, attributes } : node;
}
