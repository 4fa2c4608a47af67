/**
 * MatMulInteger (ONNX MatMulInteger-10): Y = (A − a_zero_point) · (B − b_zero_point) with numpy
 * matmul semantics (batch broadcasting, 1-D operands), int8/uint8 operands and an int32 result
 * (docs/QUANTIZATION.md eqs. (10)–(12)). The zero points are per tensor (one element), per row of
 * A / per column of B (1-D of M / N elements), or N-D of shape [..., M, 1] / [..., 1, N].
 */
import { ShapeError } from '../../../errors.ts';
import type { Node } from '../../../ir/graph.ts';
import { formatShape, tensor, type Tensor } from '../../../ir/tensor.ts';
import type { KernelConfig } from '../../kernel.ts';
import { planMatMul } from '../float/matmul.ts';
import { nodeLabel, requireDtype, requireInput } from '../float/node-io.ts';
import { centered, integerMatMul } from './integer-operands.ts';
import { EIGHT_BIT_TYPES, zeroPointInput } from './quant-io.ts';

/** Per row (of an M × K operand or an output) or per column (of a K × N operand). */
export type MatrixRole = 'row' | 'column';

/**
 * The shape in which a per-tensor / per-row / per-column parameter (zero point or scale)
 * broadcasts against a matrix operand of `operandShape`: [] for one element, [M, 1] for a 1-D
 * per-row tensor, [N] for a 1-D per-column tensor, its own shape for an N-D tensor whose
 * column (row) axis is 1.
 * @throws ShapeError naming `where` and `what` for any other shape.
 */
export function matrixParameterShape(t: Tensor, operandShape: readonly number[], role: MatrixRole, where: string, what: string): number[] {
  if (t.data.length === 1) return [];
  const rank = operandShape.length;
  const expected = role === 'row' ? 'a scalar, [rows] or [..., rows, 1]' : 'a scalar, [columns] or [..., 1, columns]';
  const fail = (): never => {
    throw new ShapeError(`${where}: ${what} has shape ${formatShape(t.shape)}; for an operand of shape ${formatShape(operandShape)} it must be ${expected} (per ${role})`);
  };
  if (rank < 2) fail();
  const length = role === 'row' ? operandShape[rank - 2] : operandShape[rank - 1];
  if (t.shape.length === 1) {
    if (t.shape[0] !== length) fail();
    return role === 'row' ? [length, 1] : [length];
  }
  const r = t.shape.length;
  if (r < 2 || (role === 'row' ? t.shape[r - 1] : t.shape[r - 2]) !== 1) fail();
  return [...t.shape];
}

/** The int32 product of A and B after subtracting their zero points; shape of numpy.matmul. eq. (11) */
export function matmulIntegerImpl(a: Tensor, aZeroPoint: Tensor | undefined, b: Tensor, bZeroPoint: Tensor | undefined, where: string): Tensor {
  const plan = planMatMul(a.shape, b.shape, where);
  const aShape = aZeroPoint === undefined ? [] : matrixParameterShape(aZeroPoint, a.shape, 'row', where, 'a_zero_point');
  const bShape = bZeroPoint === undefined ? [] : matrixParameterShape(bZeroPoint, b.shape, 'column', where, 'b_zero_point');
  const acc = integerMatMul(centered(a, aZeroPoint, aShape, where, 'a_zero_point'), centered(b, bZeroPoint, bShape, where, 'b_zero_point'), plan);
  return tensor('int32', plan.outShape, acc, `${where} output`);
}

function matmulInteger(inputs: readonly (Tensor | undefined)[], node: Node): Tensor[] {
  const label = nodeLabel(node);
  const a = requireInput(inputs, 0, node, 'A');
  const b = requireInput(inputs, 1, node, 'B');
  requireDtype(a, EIGHT_BIT_TYPES, label, 'A');
  requireDtype(b, EIGHT_BIT_TYPES, label, 'B');
  const aZeroPoint = zeroPointInput(inputs, 2, node, 'a_zero_point', a.dtype, 'A');
  const bZeroPoint = zeroPointInput(inputs, 3, node, 'b_zero_point', b.dtype, 'B');
  return [matmulIntegerImpl(a, aZeroPoint, b, bZeroPoint, label)];
}

export const matmulIntegerConfig: KernelConfig = { op: 'MatMulInteger', impl: matmulInteger };
