/**
 * Loading a quantized ONNX model for the integer executor, whatever form it is in: a QOperator
 * model (QLinearConv, QGemm, ... from a file) runs as it is; a QDQ model from any quantizer is
 * lowered on load (lower.ts). Sits above onnx/ (it imports the importer), like ptq/.
 */
import type { Model } from '../../ir/graph.ts';
import { importModel, type ImportOptions } from '../../onnx/import.ts';
import { fromQOperatorModel, quantizedForm, type QuantizedForm } from '../../onnx/qoperator/import.ts';
import { lowerToInteger, type IntegerLowering, type LowerOptions } from './lower.ts';

export interface QuantizedModel {
  /** The form the file was in. */
  readonly form: QuantizedForm;
  /** The model as imported. */
  readonly source: Model;
  /** The integer model the integer executor runs. */
  readonly model: Model;
  readonly lowering: IntegerLowering;
}

/** Prepares an imported model for the integer executor: QOperator lookups recognised, QDQ parts lowered. */
export function prepareQuantizedModel(source: Model, options: LowerOptions = {}): QuantizedModel {
  const form = quantizedForm(source);
  const lowering = lowerToInteger(form === 'qoperator' ? fromQOperatorModel(source) : source, options);
  return { form, source, model: lowering.model, lowering };
}

/**
 * Imports ONNX bytes and prepares them for the integer executor (createExecutor(model,
 * integerKernels()) or createIntegerExecutor). A float model comes back unchanged, form 'float'.
 */
export function loadQuantizedModel(bytes: Uint8Array, options: ImportOptions & LowerOptions = {}): QuantizedModel {
  return prepareQuantizedModel(importModel(bytes, options), options);
}
