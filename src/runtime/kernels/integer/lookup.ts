/**
 * Lookup-table kernels: elementwise functions of one quantized input, evaluated once per node for
 * every input code (256 for 8-bit inputs, 65536 for 16-bit) and then read per element — no float
 * arithmetic at run time.
 *
 * buildLookupTable defines the table: code q → dequantize (eq. (3)) → f in float64 → quantize
 * (eq. (2): round half to even, saturate), docs/QUANTIZATION.md. Kernels:
 *  - QLinearLookup (domain ai.quantkit, quantkit's own): Y = table[X + input_offset], attributes
 *    `table` (a tensor of Y's type, one entry per code of X's type) and `input_offset` (−min of
 *    X's type: 128 for int8, 0 for uint8; default that). The integer executor uses it for
 *    HardSwish, HardSigmoid, Tanh, Sigmoid, LeakyRelu, Relu between different scales.
 *  - QLinearSigmoid and QLinearLeakyRelu (com.microsoft, onnxruntime contrib ops): X, X_scale,
 *    X_zero_point?, Y_scale, Y_zero_point? (per tensor, Y of X's type); LeakyRelu's alpha
 *    defaults to 0.01. Their table is built from the scales at preparation time.
 */
import { RangeArgumentError, ShapeError } from '../../../errors.ts';
import { attrFloat, attrInt, attrTensor } from '../../../ir/attributes.ts';
import { DTYPES, type DType } from '../../../ir/dtype.ts';
import type { Node } from '../../../ir/graph.ts';
import { formatShape, tensor, type Tensor } from '../../../ir/tensor.ts';
import { createParams, validateParams, type QuantParams } from '../../../quant/params.ts';
import { dequantizeValue, quantizeValue } from '../../../quant/quantize.ts';
import type { KernelConfig } from '../../kernel.ts';
import { nodeLabel, requireDtype, requireInput } from '../float/node-io.ts';
import { namingNode } from '../quant/quant-io.ts';
import { checkInputCount, integerInput, tensorScale, zeroPointValues } from './operands.ts';
import { prepared } from './prepare-cache.ts';

/** The domain of quantkit's own operators. */
export const QUANTKIT_DOMAIN = 'ai.quantkit';

/** Input types a table can index: every integer type of at most 16 bits. */
export const LOOKUP_INPUT_TYPES: ReadonlySet<DType> = new Set(['int2', 'uint2', 'int4', 'uint4', 'int8', 'uint8', 'int16', 'uint16']);

const STORAGE: Readonly<Record<string, DType>> = {
  'int2': 'int2', 'uint2': 'uint2', 'int4': 'int4', 'uint4': 'uint4', 'int8': 'int8', 'uint8': 'uint8', 'int16': 'int16', 'uint16': 'uint16',
};

/** The integer dtype holding codes of `params` (bits 2, 4, 8 or 16, signed or not). */
export function dtypeOfParams(params: Pick<QuantParams, 'bits' | 'signed'>): DType {
  const dtype = STORAGE[`${params.signed ? 'int' : 'uint'}${params.bits}`];
  if (dtype === undefined) throw new RangeArgumentError(`buildLookupTable: no lookup storage for ${params.signed ? 'int' : 'uint'}${params.bits} (bits must be 2, 4, 8 or 16)`);
  return dtype;
}

/**
 * The lookup table of `fn` from per-tensor `inputParams` codes to per-tensor `outputParams`
 * codes: entry q − min = quantize(fn(dequantize(q))) for every code q of the input's type,
 * fn evaluated in float64, quantize rounding half to even and saturating to the output's
 * [qmin, qmax] (eqs. (2), (3)). Returns a 1-D tensor of the output's type with 2^bits entries;
 * the QLinearLookup `input_offset` is −min of the input type.
 * @throws RangeArgumentError for per-channel params, unsupported bit widths, or a non-finite fn value.
 */
export function buildLookupTable(fn: (real: number) => number, inputParams: QuantParams, outputParams: QuantParams): Tensor {
  validateParams(inputParams);
  validateParams(outputParams);
  if (inputParams.scale.length !== 1 || outputParams.scale.length !== 1) throw new RangeArgumentError('buildLookupTable: input and output params must be per tensor');
  const inputType = DTYPES[dtypeOfParams(inputParams)];
  const lo = inputType.min as number;
  const hi = inputType.max as number;
  const table = tensor(dtypeOfParams(outputParams), [hi - lo + 1]);
  const [sIn, zIn, sOut, zOut] = [inputParams.scale[0], inputParams.zeroPoint[0], outputParams.scale[0], outputParams.zeroPoint[0]];
  for (let q = lo; q <= hi; q++) {
    const value = fn(dequantizeValue(q, sIn, zIn)); // eq. (3), then f in float64
    if (!Number.isFinite(value)) throw new RangeArgumentError(`buildLookupTable: the function is ${value} at code ${q} (real ${dequantizeValue(q, sIn, zIn)})`);
    table.data[q - lo] = quantizeValue(value, sOut, zOut, outputParams.qmin, outputParams.qmax); // eq. (2)
  }
  return table;
}

/** y[i] = table[x[i] + offset]. */
export function lookupImpl(x: ArrayLike<number>, table: ArrayLike<number>, offset: number, y: { [i: number]: number }): void {
  for (let i = 0; i < x.length; i++) y[i] = table[x[i] + offset];
}

/** Throws ShapeError unless every code of `xType` plus `offset` indexes the table. */
function checkTable(node: Node, xType: DType, table: Tensor, offset: number): void {
  const lo = DTYPES[xType].min as number;
  const hi = DTYPES[xType].max as number;
  if (table.shape.length !== 1 || !Number.isInteger(offset) || lo + offset < 0 || hi + offset >= table.data.length) {
    throw new ShapeError(`${nodeLabel(node)}: table of shape ${formatShape(table.shape)} with input_offset ${offset} does not cover the ${xType} codes [${lo}, ${hi}]`);
  }
}

function qlinearLookup(inputs: readonly (Tensor | undefined)[], node: Node): Tensor[] {
  checkInputCount(inputs, node, 1);
  const label = nodeLabel(node);
  const x = requireInput(inputs, 0, node, 'X');
  requireDtype(x, LOOKUP_INPUT_TYPES, label, 'X');
  const table = attrTensor(node, 'table');
  if (table === undefined) throw new ShapeError(`${label}: attribute table is required`);
  requireDtype(table, LOOKUP_INPUT_TYPES, label, 'table');
  const offset = attrInt(node, 'input_offset', -(DTYPES[x.dtype].min as number));
  checkTable(node, x.dtype, table, offset);
  const y = tensor(table.dtype, x.shape, undefined, `${label} output`);
  lookupImpl(x.data, table.data, offset, y.data);
  return [y];
}

/** Per-tensor QuantParams of an integer type's full range. */
function fullRangeParams(dtype: DType, scale: number, zeroPoint: number): QuantParams {
  const info = DTYPES[dtype];
  return createParams({ scale, zeroPoint, bits: info.bits, signed: (info.min as number) < 0, qmin: info.min, qmax: info.max });
}

/** A contrib activation X, X_scale, X_zero_point?, Y_scale, Y_zero_point? through the table of `fn`. */
function tableActivation(fnOf: (node: Node) => (real: number) => number) {
  return (inputs: readonly (Tensor | undefined)[], node: Node): Tensor[] => {
    checkInputCount(inputs, node, 4, 5);
    const x = integerInput(inputs, 0, node, 'X');
    const table = prepared(node, [...inputs.slice(1, 5), x.dtype], () => {
      const xZero = zeroPointValues(inputs, 2, node, 'X_zero_point', x, 'X', true)[0];
      const yZero = zeroPointValues(inputs, 4, node, 'Y_zero_point', x, 'X', true)[0];
      const xParams = fullRangeParams(x.dtype, tensorScale(inputs, 1, node, 'X_scale'), xZero);
      const yParams = fullRangeParams(x.dtype, tensorScale(inputs, 3, node, 'Y_scale'), yZero);
      return namingNode(node, () => buildLookupTable(fnOf(node), xParams, yParams));
    });
    const y = tensor(x.dtype, x.shape, undefined, `${nodeLabel(node)} output`);
    lookupImpl(x.data, table.data, -(DTYPES[x.dtype].min as number), y.data);
    return [y];
  };
}

/** The logistic function in float64. */
export function sigmoid(real: number): number {
  return 1 / (1 + Math.exp(-real));
}

/** x for x ≥ 0, alpha·x below, in float64 (alpha the float32 attribute). */
export function leakyRelu(alpha: number): (real: number) => number {
  return (real) => (real >= 0 ? real : alpha * real);
}

export const qlinearLookupConfig: KernelConfig = { op: 'QLinearLookup', domain: QUANTKIT_DOMAIN, impl: qlinearLookup };
export const qlinearSigmoidConfig: KernelConfig = { op: 'QLinearSigmoid', domain: 'com.microsoft', impl: tableActivation(() => sigmoid) };
export const qlinearLeakyReluConfig: KernelConfig = {
  op: 'QLinearLeakyRelu',
  domain: 'com.microsoft',
  impl: tableActivation((node) => leakyRelu(attrFloat(node, 'alpha', 0.01))),
};
