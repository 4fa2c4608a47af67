/** Fresh value and node names that cannot collide with the names a graph already uses. */
import type { Graph } from './graph.ts';
import { subgraphsOf } from './topology.ts';

/**
 * Hands out names not yet taken: `next('scale')` returns 'scale' if free, else 'scale_1',
 * 'scale_2', ... Every name it returns is reserved.
 */
export class UniqueNames {
  private readonly taken: Set<string>;
  private readonly counters = new Map<string, number>();

  constructor(existing: Iterable<string> = []) {
    this.taken = new Set(existing);
  }

  /** Marks `name` as used. */
  reserve(name: string): void {
    this.taken.add(name);
  }

  has(name: string): boolean {
    return this.taken.has(name);
  }

  /** A name based on `base` that is not taken yet (and is now reserved). */
  next(base: string): string {
    let name = base;
    let counter = this.counters.get(base) ?? 0;
    while (name === '' || this.taken.has(name)) name = `${base}_${++counter}`;
    this.counters.set(base, counter);
    this.taken.add(name);
    return name;
  }
}

/** Every value and node name used in `graph` and its subgraphs. */
export function namesIn(graph: Graph, into: Set<string> = new Set()): Set<string> {
  for (const value of [...graph.inputs, ...graph.outputs]) into.add(value.name);
  for (const name of graph.initializers.keys()) into.add(name);
  for (const name of graph.valueInfo.keys()) into.add(name);
  for (const node of graph.nodes) {
    if (node.name !== '') into.add(node.name);
    for (const name of [...node.inputs, ...node.outputs]) if (name !== '') into.add(name);
    for (const subgraph of subgraphsOf(node)) namesIn(subgraph, into);
  }
  return into;
}

/** A UniqueNames over every name of `graph` (including subgraphs). */
export function uniqueNamesFor(graph: Graph): UniqueNames {
  return new UniqueNames(namesIn(graph));
}
