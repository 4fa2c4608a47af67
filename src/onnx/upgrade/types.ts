/**
 * The contract of an opset upgrade step: a pure function from a node in an older form to nodes
 * in the newer form, with a context to add constants and read what is known about values.
 */
import type { DType } from '../../ir/dtype.ts';
import type { Attribute, Node, ValueInfo } from '../../ir/graph.ts';
import { tensor, type Tensor } from '../../ir/tensor.ts';

export interface UpgradeContext {
  /** The model's opset of the default domain (the version the node was written for). */
  readonly opset: number;
  /** Names the node (and file) for messages. */
  readonly what: string;
  /** Adds an initializer under a fresh name based on `base`; returns the name. */
  constant(base: string, value: Tensor): string;
  /** A fresh value name based on `base`. */
  fresh(base: string): string;
  /** The initializer behind `name`, if it is one. */
  initializer(name: string): Tensor | undefined;
  /** What is known of a value: from the file, initializers, or shapes inferred for the nodes before this one. */
  info(name: string): ValueInfo | undefined;
}

export interface UpgradeStep {
  /** Opset version that introduced the newer form: the step applies to models with a lower opset. */
  readonly since: number;
  /** One line for the upgrade record, e.g. 'min/max attributes → inputs'. */
  readonly change: string;
  /** The node in the newer form (the same object if nothing needed changing), possibly with helper nodes before it. */
  readonly apply: (node: Node, ctx: UpgradeContext) => Node | readonly Node[];
}

/** One applied change, for `inspect`. */
export interface UpgradeRecord {
  readonly node: string;
  readonly opType: string;
  /** The model's opset the node was written for. */
  readonly fromOpset: number;
  /** The opset whose form the node now has. */
  readonly toOpset: number;
  readonly change: string;
}

/** A copy of `node` without the named attributes (the same node if it has none of them). */
export function withoutAttributes(node: Node, names: readonly string[]): Node {
  if (!names.some((name) => name in node.attributes)) return node;
  const attributes: Record<string, Attribute> = {};
  for (const [key, value] of Object.entries(node.attributes)) if (!names.includes(key)) attributes[key] = value;
  return { ...node, attributes };
}

/** A copy of `node` with attributes set (overriding existing ones). */
export function withAttributes(node: Node, set: Readonly<Record<string, Attribute>>): Node {
  return { ...node, attributes: { ...node.attributes, ...set } };
}

/** Input list with trailing omitted ('') inputs removed (ONNX allows either). */
export function trimInputs(inputs: readonly string[]): string[] {
  const out = [...inputs];
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}

/** A 1-D int64 tensor. */
export function int64Vector(values: readonly number[]): Tensor {
  return tensor('int64', [values.length], Float64Array.from(values));
}

/** A rank-0 tensor of `dtype` holding `value`. */
export function scalarTensor(dtype: DType, value: number): Tensor {
  const t = tensor(dtype, []);
  t.data[0] = value;
  return t;
}

/** The element type of a value if known, else float32 (the type almost every old model uses). */
export function dtypeOr32(ctx: UpgradeContext, name: string): DType {
  return ctx.info(name)?.dtype ?? 'float32';
}
