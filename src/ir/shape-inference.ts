/**
 * Shape inference: the dtype and shape of every value a graph computes, from the graph inputs,
 * initializers and per-op rules (src/ir/shapes/). Symbolic dims propagate where the rule allows;
 * what cannot be inferred stays unknown (null dims, or no entry). A node no rule covers leaves
 * its outputs unknown. Only provably inconsistent shapes throw (ShapeError naming the node).
 */
import { QuantkitError, ShapeError } from '../errors.ts';
import type { Dim, Graph, Node, ValueInfo } from './graph.ts';
import { SHAPE_RULES } from './shapes/index.ts';
import type { InferredType, RuleContext } from './shapes/types.ts';
import type { Tensor } from './tensor.ts';
import { describeNode } from './topology.ts';

export type { InferredType } from './shapes/types.ts';

export interface ShapeLookup {
  info(name: string): ValueInfo | undefined;
  constant(name: string): Tensor | undefined;
}

/** Infers one node's outputs (one entry per output). Throws ShapeError for inconsistent shapes. */
export function inferNode(node: Node, lookup: ShapeLookup, what = describeNode(node)): (InferredType | undefined)[] {
  if (node.domain !== '') return node.outputs.map(() => undefined);
  const rule = SHAPE_RULES[node.opType];
  if (rule === undefined) return node.outputs.map(() => undefined);
  const ctx: RuleContext = { what, info: (name) => (name === '' ? undefined : lookup.info(name)), constant: (name) => (name === '' ? undefined : lookup.constant(name)) };
  try {
    const results = rule(node, ctx);
    return node.outputs.map((_, i) => clean(results[i]));
  } catch (error) {
    if (error instanceof QuantkitError) throw error instanceof ShapeError ? error : new ShapeError(`${what}: ${error.message}`);
    // A rule reading an attribute or input of an unexpected form: unknown, not a crash.
    return node.outputs.map(() => undefined);
  }
}

/** Like inferNode, but never throws (inconsistent or unreadable nodes give unknowns). */
export function inferNodeSafely(node: Node, lookup: ShapeLookup): (InferredType | undefined)[] {
  try {
    return inferNode(node, lookup);
  } catch {
    return node.outputs.map(() => undefined);
  }
}

function clean(t: InferredType | undefined): InferredType | undefined {
  if (t === undefined || (t.dtype === undefined && t.shape === undefined)) return undefined;
  return {
    ...(t.dtype === undefined ? {} : { dtype: t.dtype }),
    ...(t.shape === undefined ? {} : { shape: t.shape.map((d): Dim => (typeof d === 'number' && !Number.isFinite(d) ? null : d)) }),
    ...(t.value === undefined ? {} : { value: t.value }),
  };
}

/** Merges what the file said with what inference found: known beats unknown, the file wins on conflicts of kind. */
function merge(declared: ValueInfo | undefined, inferred: InferredType | undefined, name: string): ValueInfo | undefined {
  if (inferred === undefined) return declared;
  if (declared === undefined) return { name, ...(inferred.dtype ? { dtype: inferred.dtype } : {}), ...(inferred.shape ? { shape: inferred.shape } : {}) };
  const shape = declared.shape === undefined
    ? inferred.shape
    : inferred.shape !== undefined && inferred.shape.length === declared.shape.length
      ? declared.shape.map((d, i) => (typeof d === 'number' || d === null ? d ?? inferred.shape![i] : typeof inferred.shape![i] === 'number' ? inferred.shape![i] : d))
      : declared.shape;
  return { ...declared, ...(declared.dtype ?? inferred.dtype ? { dtype: declared.dtype ?? inferred.dtype } : {}), ...(shape ? { shape } : {}) };
}

export interface InferShapesOptions {
  /** Prefix for error messages (file or model name). */
  readonly what?: string;
  /** Types of values of enclosing scopes (for subgraphs). */
  readonly outer?: (name: string) => ValueInfo | undefined;
}

/**
 * A copy of `graph` whose valueInfo holds the inferred type of every node output (and whose
 * outputs carry the inferred type where the file left it open). Nodes must be in topological
 * order (as every Graph is).
 */
export function inferShapes(graph: Graph, options: InferShapesOptions = {}): Graph {
  const prefix = options.what === undefined ? '' : `${options.what}: `;
  const known = new Map<string, ValueInfo>();
  const values = new Map<string, Tensor>();
  for (const value of graph.inputs) known.set(value.name, value);
  for (const [name, value] of graph.valueInfo) known.set(name, value);
  const lookup: ShapeLookup = {
    info: (name) => {
      const t = graph.initializers.get(name);
      if (t !== undefined) return { name, dtype: t.dtype, shape: t.shape };
      return known.get(name) ?? options.outer?.(name);
    },
    constant: (name) => graph.initializers.get(name) ?? values.get(name),
  };
  graph.nodes.forEach((node, index) => {
    const inferred = inferNode(node, lookup, `${prefix}${describeNode(node, index)}`);
    node.outputs.forEach((name, i) => {
      if (name === '') return;
      const merged = merge(known.get(name), inferred[i], name);
      if (merged !== undefined) known.set(name, merged);
      const value = inferred[i]?.value;
      if (value !== undefined) values.set(name, value);
    });
  });
  const valueInfo = new Map<string, ValueInfo>();
  const outputNames = new Set(graph.outputs.map((v) => v.name));
  const inputNames = new Set(graph.inputs.map((v) => v.name));
  for (const [name, info] of known) if (!inputNames.has(name) && !outputNames.has(name)) valueInfo.set(name, info);
  const outputs = graph.outputs.map((v) => merge(v, known.get(v.name) ?? lookup.info(v.name), v.name) ?? v);
  return { ...graph, valueInfo, outputs };
}
