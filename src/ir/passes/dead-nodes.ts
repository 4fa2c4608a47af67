/**
 * Dead-node removal: keeps only the nodes whose outputs (transitively) reach a graph output, then
 * drops initializers and valueInfo entries nothing reads any more.
 */
import type { Graph, Node } from '../graph.ts';
import { nodeDependencies } from '../topology.ts';

/** The graph without nodes, initializers and valueInfo that no graph output depends on (the same graph if there are none). */
export function removeDeadNodes(graph: Graph): Graph {
  const needed = new Set(graph.outputs.map((v) => v.name));
  const kept: Node[] = [];
  // Nodes are in topological order: walking backwards sees every consumer before its producers.
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const node = graph.nodes[i];
    if (!node.outputs.some((name) => name !== '' && needed.has(name))) continue;
    kept.push(node);
    for (const name of nodeDependencies(node)) needed.add(name);
  }
  kept.reverse();
  if (kept.length === graph.nodes.length && [...graph.initializers.keys()].every((name) => needed.has(name))) return graph;
  const initializers = new Map([...graph.initializers].filter(([name]) => needed.has(name)));
  const produced = new Set(kept.flatMap((n) => n.outputs));
  const valueInfo = new Map([...graph.valueInfo].filter(([name]) => produced.has(name)));
  return { ...graph, nodes: kept, initializers, valueInfo };
}
