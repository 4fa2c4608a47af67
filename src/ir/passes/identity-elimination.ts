/**
 * Identity elimination: y = Identity(x) is removed and readers of y read x. When y is a graph
 * output, the output name must survive: then x is renamed to y instead, provided x is computed
 * by a node and is not itself a graph output; otherwise the Identity stays.
 */
import type { Graph, Node } from '../graph.ts';
import { outputNames, renameValues } from '../graph-utils.ts';

/** The graph without removable Identity nodes (the same graph if there are none). */
export function eliminateIdentities(graph: Graph): Graph {
  const outputs = outputNames(graph);
  const computed = new Set(graph.nodes.flatMap((n) => n.outputs));
  const renames = new Map<string, string>();
  const resolve = (name: string): string => {
    let to = name;
    while (renames.has(to)) to = renames.get(to)!;
    return to;
  };
  const removed = new Set<Node>();
  for (const node of graph.nodes) {
    if (node.opType !== 'Identity' || node.domain !== '' || node.inputs.length !== 1 || node.outputs.length !== 1) continue;
    const x = resolve(node.inputs[0]);
    const y = node.outputs[0];
    if (!outputs.has(y)) {
      renames.set(y, x);
    } else if (computed.has(x) && !outputs.has(x)) {
      renames.set(x, y);
    } else {
      continue;
    }
    removed.add(node);
  }
  if (removed.size === 0) return graph;
  // Chains (a → b → c) resolve to their end.
  const final = new Map([...renames.keys()].map((from) => [from, resolve(from)]));
  const kept = graph.nodes.filter((n) => !removed.has(n));
  return renameValues({ ...graph, nodes: kept }, final);
}
