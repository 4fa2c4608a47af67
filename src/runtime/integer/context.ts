/**
 * The state one lowering shares between its patterns: the index of the QDQ graph, fresh names,
 * the initializers (old and new), and what replaces or removes which node. Patterns check
 * everything first and only then write here, so a pattern that falls back leaves no trace.
 */
import type { DType } from '../../ir/dtype.ts';
import type { Attribute, Node } from '../../ir/graph.ts';
import { uniqueNamesFor, type UniqueNames } from '../../ir/names.ts';
import { scalar, type Tensor } from '../../ir/tensor.ts';
import type { AccumulatorBound } from './accumulator.ts';
import type { QdqIndex } from './qdq-index.ts';

/** How a lowered node was replaced. */
export interface LoweredNode {
  readonly node: string;
  readonly from: string;
  /** The op types that replace it, in order (domain-qualified for contrib ops). */
  readonly to: readonly string[];
  /** Float nodes folded into it besides its QuantizeLinear (a fused Relu/Clip). */
  readonly absorbed: readonly string[];
}

/** What a pattern returns when it lowers a node. */
export interface Lowering {
  /** Nodes that take the float node's place, in order. */
  readonly nodes: readonly Node[];
  /** Nodes absorbed besides the float node itself (its QuantizeLinear, a fused activation). */
  readonly absorbed: readonly Node[];
  readonly accumulator?: AccumulatorBound;
  /** Decisions worth telling (a bias requantized, ...). */
  readonly notes?: readonly string[];
}

export const MICROSOFT = 'com.microsoft';
export const QUANTKIT = 'ai.quantkit';

export class LoweringContext {
  readonly index: QdqIndex;
  readonly initializers: Map<string, Tensor>;
  readonly replacements = new Map<Node, readonly Node[]>();
  readonly absorbed = new Set<Node>();
  private readonly names: UniqueNames;
  private readonly zeroScalars = new Map<DType, string>();

  constructor(index: QdqIndex) {
    this.index = index;
    this.initializers = new Map(index.graph.initializers);
    this.names = uniqueNamesFor(index.graph);
  }

  fresh(base: string): string {
    return this.names.next(base);
  }

  /** Adds a constant under a fresh name based on `base`. */
  constant(base: string, value: Tensor): string {
    const name = this.names.next(base);
    this.initializers.set(name, value);
    return name;
  }

  /** `name` when given, else a shared scalar zero of `dtype` (ops whose zero point input is required). */
  zeroPoint(name: string | undefined, dtype: DType): string {
    if (name !== undefined) return name;
    let zero = this.zeroScalars.get(dtype);
    if (zero === undefined) {
      zero = this.constant(`zero_point_${dtype}`, scalar(dtype, 0));
      this.zeroScalars.set(dtype, zero);
    }
    return zero;
  }

  /** A node of the integer graph. */
  node(opType: string, inputs: readonly string[], outputs: readonly string[], options: { name?: string; domain?: string; attributes?: Readonly<Record<string, Attribute>> } = {}): Node {
    return {
      name: options.name ?? this.names.next(opType),
      opType,
      domain: options.domain ?? '',
      inputs: [...inputs],
      outputs: [...outputs],
      attributes: { ...(options.attributes ?? {}) },
    };
  }

  /** Records that `lowering` replaces `node`. */
  apply(node: Node, lowering: Lowering): void {
    this.replacements.set(node, lowering.nodes);
    for (const n of lowering.absorbed) this.absorbed.add(n);
  }
}

/** An int attribute. */
export function intAttribute(value: number): Attribute {
  return { type: 'int', value };
}
