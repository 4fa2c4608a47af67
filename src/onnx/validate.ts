/**
 * Structural checks of an imported graph: every value has exactly one producer (graph input,
 * initializer or node output), every node input and graph output refers to a value that exists
 * here or in an enclosing scope. Violations throw ModelFormatError naming the node and value.
 */
import { ModelFormatError } from '../errors.ts';
import type { Graph } from '../ir/graph.ts';
import { describeNode, subgraphsOf } from '../ir/topology.ts';

export function validateGraph(graph: Graph, what: string, outer: ReadonlySet<string> = new Set()): void {
  const local = new Set<string>();
  const define = (name: string, by: string) => {
    if (local.has(name)) throw new ModelFormatError(`${what}: value ${JSON.stringify(name)} is produced more than once (again by ${by})`);
    local.add(name);
  };
  for (const input of graph.inputs) define(input.name, 'a graph input');
  for (const name of graph.initializers.keys()) define(name, 'an initializer');
  graph.nodes.forEach((node, index) => {
    for (const output of node.outputs) if (output !== '') define(output, describeNode(node, index));
  });
  const visible = new Set([...outer, ...local]);
  graph.nodes.forEach((node, index) => {
    for (const input of node.inputs) {
      if (input !== '' && !visible.has(input)) {
        throw new ModelFormatError(`${what}: ${describeNode(node, index)} reads ${JSON.stringify(input)}, which no node, input or initializer provides`);
      }
    }
    for (const subgraph of subgraphsOf(node)) validateGraph(subgraph, `${what}: ${describeNode(node, index)} subgraph ${JSON.stringify(subgraph.name)}`, visible);
  });
  for (const output of graph.outputs) {
    if (!visible.has(output.name)) throw new ModelFormatError(`${what}: graph output ${JSON.stringify(output.name)} is not produced by any node, input or initializer`);
  }
}
