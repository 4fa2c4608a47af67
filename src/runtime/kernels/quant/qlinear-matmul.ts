/**
 * QLinearMatMul (ONNX QLinearMatMul-21): y = saturate(round((a − z_a)·(b − z_b) · s_a·s_b / s_y) + z_y)
 * with numpy matmul semantics, docs/QUANTIZATION.md eq. (10): the exact int32 product of
 * integer-operands.ts, requantized as the ONNX reference does (requantize-linear.ts).
 *
 * Operands and y: int8 / uint8 (y's type is y_zero_point's). The three scales share one type
 * (float32, float16 or bfloat16), in which the multiplier is computed. Scales and zero points are
 * per tensor, or per row of a and y and per column of b (1-D, or N-D [..., M, 1] / [..., 1, N]).
 * The float8 operand types the spec lists are rejected: the reference defines no arithmetic for them.
 */
import { ShapeError, UnsupportedOpError } from '../../../errors.ts';
import type { Node } from '../../../ir/graph.ts';
import type { Tensor } from '../../../ir/tensor.ts';
import type { KernelConfig } from '../../kernel.ts';
import { planMatMul } from '../float/matmul.ts';
import { nodeLabel, requireDtype, requireInput } from '../float/node-io.ts';
import { centered, integerMatMul } from './integer-operands.ts';
import { matrixParameterShape, type MatrixRole } from './matmul-integer.ts';
import { checkZeroPointShape, EIGHT_BIT_TYPES, FLOAT8_TYPES, scaleInput, zeroPointInput } from './quant-io.ts';
import { realMultipliers, requantizeLinear, type Broadcastable } from './requantize-linear.ts';

/** A quantized operand of QLinearMatMul: its data, scale and zero point. */
export interface QuantizedOperand {
  readonly data: Tensor;
  readonly scale: Tensor;
  readonly zeroPoint: Tensor | undefined;
}

/**
 * The quantized product of `a` and `b` into y's scale and zero point (y's type: the zero
 * point's, else a's). eq. (10)
 */
export function qlinearMatMulImpl(a: QuantizedOperand, b: QuantizedOperand, y: Omit<QuantizedOperand, 'data'>, where: string): Tensor {
  const plan = planMatMul(a.data.shape, b.data.shape, where);
  // The matrix form of the output ([..., M, N]; 1-D operands only drop unit axes) for per-row y.
  const matrixShape = [...plan.batchShape, plan.m, plan.n];
  const arrange = (t: Tensor, shape: readonly number[], role: MatrixRole, what: string): Broadcastable => ({
    dtype: t.dtype,
    shape: matrixParameterShape(t, shape, role, where, what),
    data: t.data,
  });
  const aZero = a.zeroPoint === undefined ? undefined : arrange(a.zeroPoint, a.data.shape, 'row', 'a_zero_point');
  const bZero = b.zeroPoint === undefined ? undefined : arrange(b.zeroPoint, b.data.shape, 'column', 'b_zero_point');
  const acc = integerMatMul(
    centered(a.data, a.zeroPoint, aZero?.shape ?? [], where, 'a_zero_point'),
    centered(b.data, b.zeroPoint, bZero?.shape ?? [], where, 'b_zero_point'),
    plan,
  );
  const multiplier = realMultipliers(
    arrange(a.scale, a.data.shape, 'row', 'a_scale'),
    arrange(b.scale, b.data.shape, 'column', 'b_scale'),
    arrange(y.scale, matrixShape, 'row', 'y_scale'),
    a.scale.dtype,
    where,
  );
  const yZero: Broadcastable = y.zeroPoint === undefined ? { dtype: 'int32', shape: [], data: new Int32Array(1) } : arrange(y.zeroPoint, matrixShape, 'row', 'y_zero_point');
  const out = requantizeLinear(acc, matrixShape, multiplier, yZero, y.zeroPoint?.dtype ?? a.data.dtype, where);
  return { ...out, shape: [...plan.outShape] };
}

function operandInput(inputs: readonly (Tensor | undefined)[], index: number, node: Node, name: string): Tensor {
  const t = requireInput(inputs, index, node, name);
  if (FLOAT8_TYPES.has(t.dtype)) throw new UnsupportedOpError(`${nodeLabel(node)}: ${name} of type ${t.dtype}: float8 QLinearMatMul is not supported (its requantization is not defined by the ONNX reference)`);
  requireDtype(t, EIGHT_BIT_TYPES, nodeLabel(node), name);
  return t;
}

function qlinearMatMul(inputs: readonly (Tensor | undefined)[], node: Node): Tensor[] {
  const label = nodeLabel(node);
  const a = operandInput(inputs, 0, node, 'a');
  const aScale = scaleInput(inputs, 1, node, 'a_scale');
  const aZeroPoint = zeroPointInput(inputs, 2, node, 'a_zero_point', a.dtype, 'a');
  const b = operandInput(inputs, 3, node, 'b');
  const bScale = scaleInput(inputs, 4, node, 'b_scale');
  const bZeroPoint = zeroPointInput(inputs, 5, node, 'b_zero_point', b.dtype, 'b');
  const yScale = scaleInput(inputs, 6, node, 'y_scale');
  const yZeroPoint = zeroPointInput(inputs, 7, node, 'y_zero_point');
  if (yZeroPoint !== undefined) requireDtype(yZeroPoint, EIGHT_BIT_TYPES, label, 'y_zero_point');
  if (bScale.dtype !== aScale.dtype || yScale.dtype !== aScale.dtype) {
    throw new ShapeError(`${label}: a_scale, b_scale and y_scale must share one type, got ${aScale.dtype}, ${bScale.dtype} and ${yScale.dtype}`);
  }
  checkZeroPointShape(node, aScale, aZeroPoint, 'a_scale', 'a_zero_point');
  checkZeroPointShape(node, bScale, bZeroPoint, 'b_scale', 'b_zero_point');
  checkZeroPointShape(node, yScale, yZeroPoint, 'y_scale', 'y_zero_point');
  const y = qlinearMatMulImpl({ data: a, scale: aScale, zeroPoint: aZeroPoint }, { data: b, scale: bScale, zeroPoint: bZeroPoint }, { scale: yScale, zeroPoint: yZeroPoint }, label);
  return [y];
}

export const qlinearMatMulConfig: KernelConfig = { op: 'QLinearMatMul', impl: qlinearMatMul };
