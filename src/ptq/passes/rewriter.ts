/**
 * A working copy of a graph for the fusion passes (BatchNormalization and bias folding). A fusion
 * replaces a producer node by a new node computing what its consumer computed, and deletes the
 * consumer; the fused node keeps the producer's place in the node list, which stays topological
 * because everything reading the consumer's output came after the consumer.
 *
 * Reader counts come from the input graph: a fusion never adds a reader to a computed value
 * (the fused node reads the producer's inputs plus new constants), so they stay valid.
 */
import type { Graph, Node, ValueInfo } from '../../ir/graph.ts';
import { consumers, outputNames, valueInfoOf } from '../../ir/graph-utils.ts';
import { uniqueNamesFor, type UniqueNames } from '../../ir/names.ts';
import { inferShapes } from '../../ir/shape-inference.ts';
import type { Tensor } from '../../ir/tensor.ts';
import { dropStaleValues } from './cleanup.ts';

/** A mutable working copy of one graph; `build()` returns the rewritten graph, the input stays as it was. */
export class GraphRewriter {
  /** Current nodes by their input-graph position; undefined once deleted. */
  private readonly slots: (Node | undefined)[];
  private readonly initializers: Map<string, Tensor>;
  private readonly producers = new Map<string, number>();
  private readonly readers: Map<string, Node[]>;
  private readonly positions: Map<Node, number>;
  private readonly outputs: Set<string>;
  private readonly names: UniqueNames;
  private inferred: Graph | undefined;

  constructor(readonly graph: Graph) {
    this.slots = [...graph.nodes];
    this.initializers = new Map(graph.initializers);
    this.slots.forEach((node, i) => this.setProducer(node, i));
    this.readers = consumers(graph);
    this.positions = new Map(graph.nodes.map((node, i) => [node, i]));
    this.outputs = outputNames(graph);
    this.names = uniqueNamesFor(graph);
  }

  private setProducer(node: Node | undefined, index: number): void {
    for (const name of node?.outputs ?? []) if (name !== '') this.producers.set(name, index);
  }

  /** The input graph's node positions (iterate these; `node(i)` gives the current node). */
  get size(): number {
    return this.slots.length;
  }

  node(index: number): Node | undefined {
    return this.slots[index];
  }

  /** The current node computing `value` and its position, if a node computes it. */
  producerOf(value: string): { readonly node: Node; readonly index: number } | undefined {
    const index = this.producers.get(value);
    const node = index === undefined ? undefined : this.slots[index];
    return node === undefined || index === undefined || !node.outputs.includes(value) ? undefined : { node, index };
  }

  /** True if the node at `index` is the only reader of `value` and `value` is not a graph output. */
  onlyReadBy(value: string, index: number): boolean {
    const readers = this.readers.get(value) ?? [];
    return !this.outputs.has(value) && readers.length === 1 && this.positions.get(readers[0]) === index;
  }

  /** The initializer called `name` (constants only: Constant nodes were folded before). */
  constant(name: string | undefined): Tensor | undefined {
    return name === undefined || name === '' ? undefined : this.initializers.get(name);
  }

  /** The dtype and shape of a value as value info or shape inference (of the input graph) knows them. */
  infoOf(name: string): ValueInfo | undefined {
    const constant = this.initializers.get(name);
    if (constant !== undefined) return { name, dtype: constant.dtype, shape: constant.shape };
    if (this.inferred === undefined) {
      try {
        this.inferred = inferShapes(this.graph);
      } catch {
        this.inferred = this.graph; // Inconsistent shapes: fall back to what the file declares.
      }
    }
    return valueInfoOf(this.inferred, name);
  }

  /** Adds a constant under a fresh name based on `base`; returns the name. */
  addInitializer(base: string, value: Tensor): string {
    const name = this.names.next(base);
    this.initializers.set(name, value);
    return name;
  }

  /** Puts `fused` at `producerIndex` and deletes the node at `consumerIndex`. */
  fuse(producerIndex: number, consumerIndex: number, fused: Node): void {
    this.slots[producerIndex] = fused;
    this.slots[consumerIndex] = undefined;
    this.setProducer(fused, producerIndex);
  }

  /** The rewritten graph, without constants and value types the fusions left unused. */
  build(): Graph {
    const nodes = this.slots.filter((node): node is Node => node !== undefined);
    return dropStaleValues(this.graph, { ...this.graph, nodes, initializers: this.initializers });
  }
}
