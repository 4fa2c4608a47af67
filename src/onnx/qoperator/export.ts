/**
 * QOperator export: an integer model (runtime/integer/lower.ts) as standard ONNX that
 * onnxruntime loads — QLinearConv and QLinearMatMul (ONNX), QGemm, QLinearAdd, QLinearMul,
 * QLinear pools, QLinearConcat, QLinearSigmoid, QLinearLeakyRelu (com.microsoft, which
 * onnxruntime implements), QuantizeLinear / DequantizeLinear at the boundaries.
 *
 * - quantkit's QLinearLookup becomes Cast + Gather on the integers (lookup-gather.ts);
 * - weights are 8-bit: the lowering already holds int4/int2 weights as int8 (QLinearConv and
 *   QGemm take 8-bit tensors only), so a 4-bit model's file stores one weight per byte;
 * - `form: 'integer'` writes the layers as MatMulInteger / ConvInteger with the requantization in
 *   float ops instead (integer-form.ts), the form onnxruntime's dynamic quantizer uses.
 */
import type { Model } from '../../ir/graph.ts';
import { removeDeadNodes } from '../../ir/passes/dead-nodes.ts';
import { exportModel, type ExportOptions } from '../export.ts';
import { toIntegerForm } from './integer-form.ts';
import { LOOKUP_DOMAIN, lookupsToGather } from './lookup-gather.ts';

export interface QOperatorOptions extends ExportOptions {
  /** 'qlinear' (default): QLinearConv, QGemm, ...; 'integer': ConvInteger / MatMulInteger + float requantization. */
  readonly form?: 'qlinear' | 'integer';
}

/** The integer model in the ops a QOperator file holds (no quantkit-internal op left). */
export function toQOperatorModel(model: Model, options: QOperatorOptions = {}): Model {
  let graph = lookupsToGather(model.graph);
  if (options.form === 'integer') graph = toIntegerForm(graph);
  graph = removeDeadNodes(graph);
  const opsets = new Map([...model.opsets].filter(([domain]) => domain !== LOOKUP_DOMAIN));
  return { ...model, opsets, graph };
}

/** ONNX bytes of the integer model in QOperator form. */
export function exportQOperator(model: Model, options: QOperatorOptions = {}): Uint8Array {
  return exportModel(toQOperatorModel(model, options), options);
}
