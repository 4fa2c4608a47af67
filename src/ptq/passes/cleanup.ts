/** Tidying after a rewrite: constants and value types that no longer belong to any value. */
import type { Graph } from '../../ir/graph.ts';
import { usedNames } from '../../ir/graph-utils.ts';

/**
 * `after` without the initializers nothing in it reads, except those `before` already held
 * unread (those are the model's business, not the pass's), and without
 * valueInfo entries of values that are no longer computed by a node or held as an initializer.
 */
export function dropStaleValues(before: Graph, after: Graph): Graph {
  const usedBefore = usedNames(before);
  const usedAfter = usedNames(after);
  const initializers = new Map([...after.initializers].filter(([name]) => usedAfter.has(name) || (before.initializers.has(name) && !usedBefore.has(name))));
  const live = new Set<string>(initializers.keys());
  for (const node of after.nodes) for (const name of node.outputs) if (name !== '') live.add(name);
  const valueInfo = new Map([...after.valueInfo].filter(([name]) => live.has(name)));
  return { ...after, initializers, valueInfo };
}

/** A short, quoted way to name a node in a change message or list: its name, else its first output. */
export function nodeId(node: { readonly name: string; readonly outputs: readonly string[] }): string {
  return node.name !== '' ? node.name : `(output ${node.outputs[0] ?? '?'})`;
}
