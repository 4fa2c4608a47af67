/**
 * Lowering: a QDQ model (quantkit's, or any standard QDQ model such as onnxruntime's quantizer
 * writes) → a model that runs in integer arithmetic.
 *
 * Every float op whose data inputs come from DequantizeLinear and whose output goes (directly,
 * or through a Relu/Clip fused into a layer) into a QuantizeLinear becomes its integer form
 * reading the quantized tensors (patterns/: QLinearConv, QGemm, QLinearMatMul, QLinearAdd,
 * QLinearMul, QLinear pools, QLinearConcat, QLinearSigmoid, QLinearLeakyRelu, QLinearLookup, the
 * op itself on integers for MaxPool/Reshape/...). Everything else stays float between its
 * DequantizeLinear and QuantizeLinear and is reported by name with the reason. Graph inputs keep
 * their QuantizeLinear and graph outputs their DequantizeLinear; DequantizeLinear nodes nothing
 * reads any more are dropped.
 */
import { isFloat } from '../../ir/dtype.ts';
import type { Graph, Model, Node } from '../../ir/graph.ts';
import { removeDeadNodes } from '../../ir/passes/dead-nodes.ts';
import { inferShapes } from '../../ir/shape-inference.ts';
import { isIntegerOp } from '../../onnx/qoperator/import.ts';
import type { AccumulatorBound } from './accumulator.ts';
import { LoweringContext, MICROSOFT, QUANTKIT, type LoweredNode, type Lowering } from './context.ts';
import { PATTERNS } from './patterns/index.ts';
import { fail, QdqIndex } from './qdq-index.ts';
import { widenSubByteActivations } from './widen.ts';

export type { AccumulatorBound } from './accumulator.ts';
export type { LoweredNode } from './context.ts';

/** A node left in float, and why. */
export interface FloatNode {
  readonly node: string;
  readonly opType: string;
  readonly reason: string;
}

export interface LowerOptions {
  /** Node names or op types to leave in float even where an integer form exists. */
  readonly keepFloat?: readonly string[];
}

export interface IntegerLowering {
  /** The integer model: integer ops between a QuantizeLinear per graph input and a DequantizeLinear per graph output. */
  readonly model: Model;
  /** Names of the nodes that still compute in float (for `quantkit inspect` and the JSON output). */
  readonly floatNodes: readonly string[];
  /** The same nodes with their op type and the reason they stayed float. */
  readonly fallbacks: readonly FloatNode[];
  /** Every node replaced by integer ops. */
  readonly lowered: readonly LoweredNode[];
  /** The int32 accumulator bound of every lowered Conv/Gemm/MatMul. */
  readonly accumulators: readonly AccumulatorBound[];
  /** The layers whose bound reaches 2^31 (they could overflow for some inputs). */
  readonly overflowRisks: readonly AccumulatorBound[];
  /** Decisions taken on the way (biases requantized, ...). */
  readonly notes: readonly string[];
}

/** True when `node` reads or writes a float tensor (shape arithmetic on int64 is not float work). */
function computesInFloat(index: QdqIndex, node: Node): boolean {
  return [...node.inputs, ...node.outputs].some((name) => {
    if (name === '') return false;
    const dtype = index.dtypeOf(name);
    return dtype !== undefined && isFloat(dtype);
  });
}

function isQdqNode(node: Node): boolean {
  return node.domain === '' && (node.opType === 'QuantizeLinear' || node.opType === 'DequantizeLinear');
}

/**
 * Lowers the QDQ parts of `model` to integer ops. A model with nothing to lower (a float model,
 * or one already in QOperator form) comes back unchanged, its float nodes listed.
 * @throws ModelFormatError for a DequantizeLinear of a non-integer tensor.
 */
export function lowerToInteger(model: Model, options: LowerOptions = {}): IntegerLowering {
  const keepFloat = new Set(options.keepFloat ?? []);
  const widened = widenSubByteActivations(standardQdq(model.graph));
  const graph = withShapes(widened);
  const index = new QdqIndex(graph);
  const ctx = new LoweringContext(index);
  const fallbacks: FloatNode[] = [];
  const lowered: LoweredNode[] = [];
  const accumulators: AccumulatorBound[] = [];
  const notes: string[] = [];
  for (const node of graph.nodes) {
    // Ops already in integer form (a QOperator model) read float scales but compute in integers.
    if (ctx.absorbed.has(node) || isQdqNode(node) || isIntegerOp(node) || !computesInFloat(index, node)) continue;
    const pattern = node.domain === '' ? PATTERNS.get(node.opType) : undefined;
    const result = keepFloat.has(node.name) || keepFloat.has(node.opType)
      ? fail<Lowering>('kept in float by request')
      : pattern === undefined
        ? fail<Lowering>(`no integer form for ${node.domain === '' ? '' : `${node.domain}::`}${node.opType}`)
        : pattern(ctx, node);
    if (!result.ok) {
      fallbacks.push({ node: node.name, opType: node.opType, reason: result.reason });
      continue;
    }
    ctx.apply(node, result.value);
    lowered.push({
      node: node.name,
      from: node.opType,
      to: result.value.nodes.map((n) => (n.domain === '' ? n.opType : `${n.domain}::${n.opType}`)),
      absorbed: result.value.absorbed.filter((n) => !isQdqNode(n)).map((n) => n.name),
    });
    if (result.value.accumulator !== undefined) accumulators.push(result.value.accumulator);
    notes.push(...(result.value.notes ?? []));
  }
  const floatNodes = fallbacks.map((f) => f.node);
  const base = { floatNodes, fallbacks, lowered, accumulators, overflowRisks: accumulators.filter((a) => a.mayOverflow), notes };
  if (lowered.length === 0) return { model, ...base };
  const nodes: Node[] = [];
  for (const node of graph.nodes) {
    if (ctx.absorbed.has(node)) continue;
    nodes.push(...(ctx.replacements.get(node) ?? [node]));
  }
  const integerGraph = removeDeadNodes({ ...graph, nodes, initializers: ctx.initializers });
  const opsets = new Map(model.opsets);
  for (const node of integerGraph.nodes) if ((node.domain === MICROSOFT || node.domain === QUANTKIT) && !opsets.has(node.domain)) opsets.set(node.domain, 1);
  return { model: { ...model, opsets, graph: integerGraph }, ...base };
}

/**
 * onnxruntime's com.microsoft QuantizeLinear / DequantizeLinear (its quantizer's "contrib" Q/DQ)
 * compute what the ONNX ops compute: read them as ONNX ops.
 */
function standardQdq(graph: Graph): Graph {
  const contrib = (n: Node) => n.domain === MICROSOFT && (n.opType === 'QuantizeLinear' || n.opType === 'DequantizeLinear');
  if (!graph.nodes.some(contrib)) return graph;
  return { ...graph, nodes: graph.nodes.map((n) => (contrib(n) ? { ...n, domain: '' } : n)) };
}

/** The lowering's report as plain JSON (no model): for `quantkit inspect` and JSON output. */
export function loweringSummary(lowering: IntegerLowering): Omit<IntegerLowering, 'model' | 'overflowRisks'> & { readonly overflowRisks: readonly string[] } {
  const { floatNodes, fallbacks, lowered, accumulators, overflowRisks, notes } = lowering;
  return { floatNodes, fallbacks, lowered, accumulators, overflowRisks: overflowRisks.map((r) => r.node), notes };
}

/** The graph with inferred types (the patterns need ranks and dtypes); as it is when inference fails. */
function withShapes(graph: Graph): Graph {
  try {
    return inferShapes(graph);
  } catch {
    return graph;
  }
}
