/**
 * Constant folding with the float kernels, then dead-node removal: nodes whose inputs are all
 * constant run once at preparation (mnist-8's Reshape of its weight initializer becomes an
 * initializer, so the MatMul sees a constant weight), and nodes no graph output needs go.
 * Folding rules (what is never folded, size limits) are those of ir/passes/constant-folding.ts.
 */
import { UnsupportedOpError } from '../../errors.ts';
import type { Graph, Node } from '../../ir/graph.ts';
import { foldConstants, type NodeEvaluator } from '../../ir/passes/constant-folding.ts';
import { removeDeadNodes } from '../../ir/passes/dead-nodes.ts';
import { formatShape } from '../../ir/tensor.ts';
import { describeNode } from '../../ir/topology.ts';
import { floatKernels } from '../../runtime/kernels/float/register.ts';
import { nodeId } from './cleanup.ts';
import type { PassChange, PassResult } from './types.ts';

/** Options of foldFloatConstants. */
export interface FoldConstantsOptions {
  /** Fold constants (default true; false leaves only dead-node removal). */
  readonly fold?: boolean;
  /** Largest element count of one folded result (default 2^20, as foldConstants). */
  readonly maxElements?: number;
  /** Also remove nodes no graph output depends on (default true). */
  readonly removeDeadNodes?: boolean;
}

/** A NodeEvaluator running the float kernel of the node's op. */
export function floatEvaluator(): NodeEvaluator {
  const registry = floatKernels();
  return (node, inputs) => {
    const kernel = registry.get(node.opType, node.domain);
    if (kernel === undefined) throw new UnsupportedOpError(`${describeNode(node)}: no float kernel to fold it with`);
    return kernel.impl(inputs, node);
  };
}

/** Folds constant subgraphs into initializers and drops dead nodes. */
export function foldFloatConstants(graph: Graph, options: FoldConstantsOptions = {}): PassResult {
  const folded = options.fold === false ? graph : foldConstants(graph, floatEvaluator(), options.maxElements === undefined ? {} : { maxElements: options.maxElements });
  const changes: PassChange[] = removedNodes(graph, folded).map((node) => {
    const kept = node.outputs.filter((name) => folded.initializers.has(name));
    const what = kept.map((name) => `${JSON.stringify(name)} ${formatShape(folded.initializers.get(name)!.shape)}`).join(', ');
    return {
      pass: 'fold-constants',
      nodes: [nodeId(node)],
      message: `${node.opType} ${JSON.stringify(nodeId(node))} computed once: ${kept.length === 0 ? 'nothing reads its results' : `${what} now an initializer`}`,
    };
  });
  const result = options.removeDeadNodes === false ? folded : removeDeadNodes(folded);
  for (const node of removedNodes(folded, result)) {
    changes.push({ pass: 'remove-dead-nodes', nodes: [nodeId(node)], message: `${node.opType} ${JSON.stringify(nodeId(node))} removed: no graph output depends on it` });
  }
  return { graph: result, changes };
}

/** Nodes of `before` missing from `after` (both passes keep the node objects they keep). */
function removedNodes(before: Graph, after: Graph): Node[] {
  const kept = new Set(after.nodes);
  return before.nodes.filter((node) => !kept.has(node));
}
