/** The contract of a per-op shape rule. */
import type { DType } from '../dtype.ts';
import type { Dim, Node, ValueInfo } from '../graph.ts';
import type { Tensor } from '../tensor.ts';

/** What inference learns about one output. `value` is set for small computed constants (shape tensors). */
export interface InferredType {
  readonly dtype?: DType;
  readonly shape?: readonly Dim[];
  readonly value?: Tensor;
}

export interface RuleContext {
  /** Names the node for ShapeError messages. */
  readonly what: string;
  /** Known type of a value (graph input, initializer, inferred output). */
  info(name: string): ValueInfo | undefined;
  /** The value of a constant input (initializer or small computed constant). */
  constant(name: string): Tensor | undefined;
}

/**
 * Infers a node's outputs, one entry per output (undefined where nothing is known). Rules
 * return unknowns rather than guess, and throw ShapeError only for provably inconsistent shapes.
 */
export type ShapeRule = (node: Node, ctx: RuleContext) => readonly (InferredType | undefined)[];
