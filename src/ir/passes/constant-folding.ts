/**
 * Constant folding: a node whose inputs are all initializers (or results folded before it) is
 * evaluated once and its outputs become initializers. The evaluator is a callback because ir/
 * does not depend on the runtime (pass the float executor's kernel dispatch).
 *
 * Not folded: nodes with subgraphs, non-deterministic ops (Random*, Multinomial, Bernoulli),
 * nodes producing graph outputs (the output stays computed), nodes in other domains than the
 * default one unless `domains` lists them, and results larger than `maxElements` (checked on the
 * inferred shape before evaluating when it is known — a single dim longer than `maxElements`
 * counts, see exceedsElements — and on the result after).
 */
import type { Graph, Node } from '../graph.ts';
import { outputNames, usedNames } from '../graph-utils.ts';
import { inferNodeSafely } from '../shape-inference.ts';
import { exceedsElements } from '../shapes/dims.ts';
import type { Tensor } from '../tensor.ts';
import { subgraphsOf } from '../topology.ts';

export type NodeEvaluator = (node: Node, inputs: readonly (Tensor | undefined)[]) => Tensor[];

export interface FoldOptions {
  /** Largest element count of one folded result (default 2^20). */
  readonly maxElements?: number;
  /** Domains whose nodes may be folded besides the default one. */
  readonly domains?: readonly string[];
}

const NON_DETERMINISTIC = new Set(['RandomUniform', 'RandomNormal', 'RandomUniformLike', 'RandomNormalLike', 'Multinomial', 'Bernoulli']);

/**
 * The graph with constant-input nodes replaced by initializers holding their results (the same
 * graph if nothing folds). `evaluate` runs one node; if it throws, the node is kept.
 */
export function foldConstants(graph: Graph, evaluate: NodeEvaluator, options: FoldOptions = {}): Graph {
  const maxElements = options.maxElements ?? 2 ** 20;
  const domains = new Set(['', ...(options.domains ?? [])]);
  const outputs = outputNames(graph);
  const constants = new Map<string, Tensor>(graph.initializers);
  const kept: Node[] = [];
  const folded: Node[] = [];
  for (const node of graph.nodes) {
    const foldable = domains.has(node.domain)
      && !NON_DETERMINISTIC.has(node.opType)
      && subgraphsOf(node).length === 0
      && node.outputs.every((name) => !outputs.has(name))
      && node.inputs.every((name) => name === '' || constants.has(name));
    const results = foldable ? tryEvaluate(node, constants, evaluate, maxElements) : undefined;
    if (results === undefined) {
      kept.push(node);
      continue;
    }
    folded.push(node);
    node.outputs.forEach((name, i) => {
      if (name !== '') constants.set(name, results[i]);
    });
  }
  if (folded.length === 0) return graph;
  const result: Graph = { ...graph, nodes: kept };
  const used = usedNames(result);
  // Keep the original initializers (unless only folded nodes read them) and the folded results still read.
  const readByFolded = new Set(folded.flatMap((n) => n.inputs));
  const initializers = new Map([...constants].filter(([name]) => used.has(name) || (graph.initializers.has(name) && !readByFolded.has(name))));
  const valueInfo = new Map([...graph.valueInfo].filter(([name]) => !constants.has(name) || initializers.has(name)));
  return { ...result, initializers, valueInfo };
}

function tryEvaluate(node: Node, constants: ReadonlyMap<string, Tensor>, evaluate: NodeEvaluator, maxElements: number): Tensor[] | undefined {
  const lookup = { info: (name: string) => {
    const t = constants.get(name);
    return t === undefined ? undefined : { name, dtype: t.dtype, shape: t.shape };
  }, constant: (name: string) => constants.get(name) };
  const predicted = inferNodeSafely(node, lookup);
  if (predicted.some((p) => p?.shape !== undefined && exceedsElements(p.shape, maxElements))) return undefined;
  let results: Tensor[];
  try {
    results = evaluate(node, node.inputs.map((name) => (name === '' ? undefined : constants.get(name))));
  } catch {
    return undefined; // Not evaluable here (unsupported op, bad input): leave it to run time.
  }
  if (results.length < node.outputs.filter((n) => n !== '').length) return undefined;
  if (results.some((t) => t.data.length > maxElements)) return undefined;
  return results;
}
