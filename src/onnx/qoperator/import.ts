/**
 * Reading quantized models made elsewhere: which form a model is in, and a QOperator model in the
 * ops quantkit's integer executor runs (a Cast + Gather table lookup, as exportQOperator writes
 * QLinearLookup, becomes a QLinearLookup again; everything else runs as it is).
 */
import type { Model, Node } from '../../ir/graph.ts';
import { valueInfoOf } from '../../ir/graph-utils.ts';
import { removeDeadNodes } from '../../ir/passes/dead-nodes.ts';
import { inferShapes } from '../../ir/shape-inference.ts';
import { gatherToLookups, LOOKUP_DOMAIN } from './lookup-gather.ts';

/** 'qoperator': integer ops (QLinearConv, QGemm, MatMulInteger, ...); 'qdq': float ops between DequantizeLinear and QuantizeLinear; 'float': neither. */
export type QuantizedForm = 'qoperator' | 'qdq' | 'float';

const ONNX_INTEGER_OPS = new Set(['QLinearConv', 'QLinearMatMul', 'ConvInteger', 'MatMulInteger']);
const CONTRIB_INTEGER_OPS = new Set(['QGemm', 'QLinearAdd', 'QLinearMul', 'QLinearAveragePool', 'QLinearGlobalAveragePool', 'QLinearConcat', 'QLinearSigmoid', 'QLinearLeakyRelu', 'QLinearSoftmax', 'QLinearWhere', 'QLinearReduceMean', 'QAttention', 'DynamicQuantizeMatMul', 'MatMulIntegerToFloat']);

/** True for an op that computes on quantized integers (the QOperator form). */
export function isIntegerOp(node: Node): boolean {
  if (node.domain === '') return ONNX_INTEGER_OPS.has(node.opType);
  if (node.domain === 'com.microsoft') return CONTRIB_INTEGER_OPS.has(node.opType);
  return node.domain === LOOKUP_DOMAIN;
}

/** The form of a quantized model: QOperator when any integer op is present (QDQ parts are lowered anyway), QDQ when DequantizeLinear feeds float ops. */
export function quantizedForm(model: Model): QuantizedForm {
  const nodes = model.graph.nodes;
  if (nodes.some(isIntegerOp)) return 'qoperator';
  return nodes.some((n) => n.domain === '' && n.opType === 'DequantizeLinear') ? 'qdq' : 'float';
}

/** A QOperator model with its table lookups as QLinearLookup (the model itself when it has none). */
export function fromQOperatorModel(model: Model): Model {
  const typed = inferShapes(model.graph);
  const graph = gatherToLookups(model.graph, (name) => valueInfoOf(typed, name)?.dtype);
  if (graph === model.graph) return model;
  const opsets = new Map(model.opsets);
  opsets.set(LOOKUP_DOMAIN, 1);
  return { ...model, opsets, graph: removeDeadNodes(graph) };
}
