/** Lookups over a graph: who produces a value, who consumes it, what is constant. */
import type { Graph, Node, ValueInfo } from './graph.ts';
import { outerReferences, subgraphsOf } from './topology.ts';

/** Value name → the node that produces it. */
export function producers(graph: Graph): Map<string, Node> {
  const map = new Map<string, Node>();
  for (const node of graph.nodes) for (const output of node.outputs) if (output !== '') map.set(output, node);
  return map;
}

/**
 * Value name → the nodes that read it (in node order; a node reading a value twice is listed
 * once). A node whose subgraph reads an outer value counts as a consumer of it.
 */
export function consumers(graph: Graph): Map<string, Node[]> {
  const map = new Map<string, Node[]>();
  for (const node of graph.nodes) {
    const names = new Set(node.inputs.filter((n) => n !== ''));
    for (const subgraph of subgraphsOf(node)) for (const name of outerReferences(subgraph)) names.add(name);
    for (const name of names) {
      const list = map.get(name);
      if (list === undefined) map.set(name, [node]);
      else list.push(node);
    }
  }
  return map;
}

/** Names of the graph outputs. */
export function outputNames(graph: Graph): Set<string> {
  return new Set(graph.outputs.map((v) => v.name));
}

/** The known ValueInfo of a value: graph input/output, value_info entry, or initializer. */
export function valueInfoOf(graph: Graph, name: string): ValueInfo | undefined {
  const initializer = graph.initializers.get(name);
  if (initializer !== undefined) return { name, dtype: initializer.dtype, shape: initializer.shape };
  return graph.valueInfo.get(name) ?? graph.inputs.find((v) => v.name === name) ?? graph.outputs.find((v) => v.name === name);
}

/** A copy of `graph` with some fields replaced (graphs are values: passes never mutate). */
export function withGraph(graph: Graph, changes: Partial<Graph>): Graph {
  return { ...graph, ...changes };
}

/**
 * The graph with value names replaced per `renames` in node inputs/outputs, graph outputs,
 * valueInfo and subgraphs (which read outer values by name). Graph inputs and initializers
 * keep their names.
 */
export function renameValues(graph: Graph, renames: ReadonlyMap<string, string>): Graph {
  if (renames.size === 0) return graph;
  const r = (name: string) => renames.get(name) ?? name;
  const nodes = graph.nodes.map((node): Node => {
    const attributes = { ...node.attributes };
    for (const [key, a] of Object.entries(node.attributes)) {
      if (a.type === 'graph') attributes[key] = { type: 'graph', value: renameValues(a.value, renames) };
      else if (a.type === 'graphs') attributes[key] = { type: 'graphs', value: a.value.map((g) => renameValues(g, renames)) };
    }
    return { ...node, inputs: node.inputs.map(r), outputs: node.outputs.map(r), attributes };
  });
  const valueInfo = new Map([...graph.valueInfo].map(([name, info]) => [r(name), { ...info, name: r(name) }]));
  return { ...graph, nodes, outputs: graph.outputs.map((v) => ({ ...v, name: r(v.name) })), valueInfo };
}

/** Names every node, graph output and subgraph of `graph` reads. */
export function usedNames(graph: Graph): Set<string> {
  const used = new Set(graph.outputs.map((v) => v.name));
  for (const node of graph.nodes) {
    for (const name of node.inputs) if (name !== '') used.add(name);
    for (const subgraph of subgraphsOf(node)) for (const name of outerReferences(subgraph)) used.add(name);
  }
  return used;
}
