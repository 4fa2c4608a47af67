/**
 * Dependency order of a graph's nodes. A node depends on the producers of its inputs, including
 * values its subgraphs (If/Loop bodies) read from the enclosing scope.
 */
import { ModelFormatError } from '../errors.ts';
import type { Attribute, Graph, Node } from './graph.ts';

/** Subgraphs held in a node's attributes (If branches, Loop/Scan bodies). */
export function subgraphsOf(node: Node): Graph[] {
  const graphs: Graph[] = [];
  for (const attribute of Object.values(node.attributes) as Attribute[]) {
    if (attribute.type === 'graph') graphs.push(attribute.value);
    else if (attribute.type === 'graphs') graphs.push(...attribute.value);
  }
  return graphs;
}

/** Names a subgraph reads from enclosing scopes: used inside, defined nowhere inside. */
export function outerReferences(graph: Graph): Set<string> {
  const defined = new Set<string>([...graph.inputs.map((v) => v.name), ...graph.initializers.keys()]);
  for (const node of graph.nodes) for (const output of node.outputs) defined.add(output);
  const used = new Set<string>();
  for (const node of graph.nodes) {
    for (const input of nodeDependencies(node)) if (input !== '' && !defined.has(input)) used.add(input);
  }
  for (const output of graph.outputs) if (!defined.has(output.name)) used.add(output.name);
  return used;
}

/** Every value a node needs before it can run: its inputs plus its subgraphs' outer references. */
export function nodeDependencies(node: Node): string[] {
  const subgraphs = subgraphsOf(node);
  if (subgraphs.length === 0) return node.inputs.filter((name) => name !== '');
  const names = new Set(node.inputs.filter((name) => name !== ''));
  for (const graph of subgraphs) for (const name of outerReferences(graph)) names.add(name);
  return [...names];
}

/** How to name a node in a message: its name, or its position, op and first output. */
export function describeNode(node: Node, index?: number): string {
  if (node.name !== '') return `node ${JSON.stringify(node.name)} (${node.opType})`;
  const at = index === undefined ? '' : ` #${index}`;
  return `node${at} (${node.opType}, output ${JSON.stringify(node.outputs[0] ?? '')})`;
}

/**
 * The nodes in an order where each comes after the producers of its dependencies. Already ordered
 * graphs keep their order (depth-first in the given order, iterative so long chains cannot
 * overflow the stack). Inputs no node produces are taken as available (graph inputs,
 * initializers, outer scope).
 * @throws ModelFormatError naming a node on a cycle (prefixed by `what`).
 */
export function topologicalOrder(nodes: readonly Node[], what = 'graph'): Node[] {
  const producer = new Map<string, number>();
  nodes.forEach((node, i) => {
    for (const output of node.outputs) if (output !== '' && !producer.has(output)) producer.set(output, i);
  });
  const dependencies = nodes.map((node) =>
    nodeDependencies(node)
      .map((name) => producer.get(name))
      .filter((i): i is number => i !== undefined),
  );
  const state = new Uint8Array(nodes.length); // 0 new, 1 on the stack, 2 done
  const order: Node[] = [];
  for (let root = 0; root < nodes.length; root++) {
    if (state[root] !== 0) continue;
    const stack: [node: number, next: number][] = [[root, 0]];
    state[root] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const [index, next] = top;
      if (next < dependencies[index].length) {
        top[1]++;
        const dep = dependencies[index][next];
        if (state[dep] === 1) {
          throw new ModelFormatError(`${what}: the graph has a cycle through ${describeNode(nodes[dep], dep)}`);
        }
        if (state[dep] === 0) {
          state[dep] = 1;
          stack.push([dep, 0]);
        }
      } else {
        state[index] = 2;
        order.push(nodes[index]);
        stack.pop();
      }
    }
  }
  return order;
}
